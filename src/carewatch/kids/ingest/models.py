"""What the workers keep in the database beside the data they write.

`Offset`: the last log seq processed per (log, partition, lane), advanced in the
same transaction as the positions and events it stands for, so a batch is either
written and counted or neither; a compare-and-set on it fences off a worker that
lost its partition. `Lease`: which worker owns a partition, until when.
"""

from __future__ import annotations

from django.db import models


class Offset(models.Model):
    log = models.CharField(max_length=100)
    partition = models.PositiveIntegerField()
    lane = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField(default=0)
    fixes = models.BigIntegerField(default=0)  # processed in total, for rates
    updated = models.FloatField(default=0.0)  # Unix time of the last advance

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["log", "partition", "lane"], name="one_offset_per_partition_lane"
            )
        ]

    def __str__(self) -> str:
        return f"{self.log} {self.partition}/{self.lane} at {self.seq}"


class Lease(models.Model):
    log = models.CharField(max_length=100)
    partition = models.PositiveIntegerField()
    owner = models.CharField(max_length=100, blank=True)
    expires = models.FloatField(default=0.0)  # Unix time

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["log", "partition"], name="one_lease_per_partition")
        ]

    def __str__(self) -> str:
        return f"{self.log} {self.partition}: {self.owner or 'free'}"
