"""The sample messages of DESIGN.md ("Device protocols"), shared by the protocol tests."""

from __future__ import annotations

from datetime import UTC, datetime

RECEIVED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)

WATCH_LK = b"[3G*4700186508*000B*LK,0,10,100]"
WATCH_UD = (
    b"[SG*8800000015*0087*UD,220414,134652,A,22.571707,N,113.8613968,E,0.1,0.0,100,7,60,90,"
    b"1000,50,0000,4,1,460,0,9360,4082,131,9360,4092,148,9360,4091,143,9360,4153,141]"
)
WATCH_UD2 = (
    b"[3G*9031853319*004E*UD2,220322,055105,A,22.761162,N,114.360192,E,0,0,47,14,100,64,0,0,"
    b"00000008,0,0]"
)
WATCH_AL_LTE_SOS = (
    b"[3G*6907919734*003e*AL_LTE,170525,214118,V,0,N,0,E,0,0,0,0,0,22,0,0,00010000,0,0,0]"
)
WATCH_SAMPLES = [WATCH_LK, WATCH_UD, WATCH_UD2, WATCH_AL_LTE_SOS]

OSMAND_SAMPLES = [
    "/?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&hdop=0.0",
    "/?id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0"
    "&altitude=224.0&speed=0.0",
    "/?id=861001000719969&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&batt=87",
]

OWNTRACKS_LOCATION = (
    b'{"_type":"location","acc":15,"alt":440,"batt":46,"conn":"w","lat":46.0681247,'
    b'"lon":11.1512805,"t":"u","tid":"5t","tst":1551874878,"vac":2,"vel":0}'
)
OWNTRACKS_TRANSITION = (
    b'{"_type":"transition","desc":"School","event":"enter","lat":48.87069,"lon":2.34916,'
    b'"rid":"f7676c","tid":"j1","tst":1707057574,"wtst":1610104395}'
)


def watch_frame(content: str, maker: str = "3G", device: str = "1234567890") -> bytes:
    """A frame with the right length field."""
    body = content.encode("latin-1")
    return b"[%s*%s*%04X*%s]" % (maker.encode(), device.encode(), len(body), body)


def ud(
    status: str = "00000000",
    validity: str = "A",
    lat: str = "22.5",
    lon: str = "114.1",
    kind: str = "UD",
    battery: str = "64",
    tail: str = "0,0",
) -> bytes:
    return watch_frame(
        f"{kind},220322,055105,{validity},{lat},N,{lon},E,1.5,90,47,14,100,{battery},321,2,"
        f"{status},{tail}"
    )
