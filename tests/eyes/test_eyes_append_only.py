"""The database itself refuses to change or remove audit entries (raw SQL included)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from carewatch.eyes.screening.models import AuditEntry
from carewatch.platform.lib.append_only import erasure_allowed, statements_for
from tests.base import BaseTestCase, make_user
from tests.eyes.factories.reports import graded_eye, signed_report
from tests.eyes.helpers import make_patient, make_visit

TABLE = AuditEntry._meta.db_table
SCRATCH = "append_only_scratch"


def run(sql: str, params: list[object] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def refused(sql: str, params: list[object] | None = None) -> bool:
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL aborts the transaction on error
            run(sql, params)
    except IntegrityError as error:
        assert "append-only" in str(error)
        return True
    return False


class AppendOnlyAuditTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.patient = make_patient(self.clinic, self.screener, number="P42")
        self.entry = AuditEntry.objects.create(
            clinic=self.clinic,
            user=self.doctor,
            who="doctor@example.org",
            action="patient.view",
            patient=self.patient,
            patient_number="P42",
        )

    def test_it_refuses_a_raw_sql_update(self) -> None:
        update = f"UPDATE {TABLE} SET who = %s WHERE id = %s"
        self.assertTrue(refused(update, ["someone else", self.entry.pk]))
        self.assertTrue(refused(f"UPDATE {TABLE} SET action = 'x'"))
        self.assertTrue(refused(f"UPDATE {TABLE} SET patient_number = ''"))
        self.assertEqual(AuditEntry.objects.get().who, "doctor@example.org")

    def test_it_refuses_a_raw_sql_delete(self) -> None:
        self.assertTrue(refused(f"DELETE FROM {TABLE} WHERE id = %s", [self.entry.pk]))
        self.assertTrue(refused(f"DELETE FROM {TABLE}"))
        self.assertEqual(AuditEntry.objects.count(), 1)

    def test_it_lets_the_patient_link_be_cleared_but_never_moved(self) -> None:
        other = make_patient(self.clinic, self.screener, number="P43", name="Other Person")
        move = f"UPDATE {TABLE} SET patient_id = %s WHERE id = %s"
        self.assertTrue(refused(move, [other.pk, self.entry.pk]))
        self.assertTrue(refused(f"UPDATE {TABLE} SET patient_id = NULL, who = 'x'"))
        self.assertFalse(refused(f"UPDATE {TABLE} SET patient_id = NULL"))
        self.assertTrue(refused(move, [other.pk, self.entry.pk]))  # nor set again once cleared
        self.assertIsNone(AuditEntry.objects.get().patient_id)

    def test_it_refuses_insert_or_replace_and_upsert_over_an_entry(self) -> None:
        columns = [str(f.column) for f in AuditEntry._meta.concrete_fields]
        names = ", ".join(columns)
        values = ", ".join("'someone else'" if c == "who" else c for c in columns)
        copy = f"SELECT {values} FROM {TABLE}"
        if connection.vendor == "sqlite":
            self.assertTrue(refused(f"INSERT OR REPLACE INTO {TABLE} ({names}) {copy}"))
            self.assertTrue(refused(f"REPLACE INTO {TABLE} ({names}) {copy}"))
        upsert = "ON CONFLICT (id) DO UPDATE SET who = excluded.who"
        self.assertTrue(refused(f"INSERT INTO {TABLE} ({names}) {copy} WHERE true {upsert}"))
        self.assertEqual(AuditEntry.objects.get().who, "doctor@example.org")

    def test_it_keeps_the_entry_and_the_number_when_the_patient_is_deleted(self) -> None:
        self.patient.delete()
        entry = AuditEntry.objects.get()
        self.assertEqual((entry.patient_id, entry.patient_number), (None, "P42"))

    def test_it_keeps_the_entry_and_the_name_when_the_account_is_deleted(self) -> None:
        leaver = make_user("leaver@example.org")
        AuditEntry.objects.create(
            clinic=self.clinic, user=leaver, who="leaver@example.org", action="x"
        )
        leaver.delete()
        entry = AuditEntry.objects.get(action="x")
        self.assertEqual((entry.user_id, entry.who), (None, "leaver@example.org"))

    def test_it_keeps_audit_entries_even_during_an_erasure(self) -> None:
        with transaction.atomic(), erasure_allowed():
            self.assertTrue(refused(f"DELETE FROM {TABLE}"))
        self.assertEqual(AuditEntry.objects.count(), 1)

    def test_it_guards_every_column_the_model_has(self) -> None:
        """Fails when a migration changes the table without re-applying the triggers."""
        if connection.vendor == "sqlite":
            sql = run_scalar(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [f"{TABLE}_append_only_update"],
            )
            for field in AuditEntry._meta.concrete_fields:
                self.assertIn(f'NEW."{field.column}"', sql, field.column)
            for kind in ("delete", "replace"):
                self.assertIsNotNone(
                    run_scalar(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                        [f"{TABLE}_append_only_{kind}"],
                    )
                )
        else:
            name = run_scalar(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
            self.assertEqual(name, f"{TABLE}_append_only")


def run_scalar(sql: str, params: list[object]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None, sql
    return str(row[0])


class ErasableTableTests(BaseTestCase):
    """A scratch table made append-only and erasable, as the signed reports are."""

    def setUp(self) -> None:
        super().setUp()
        run(f"CREATE TABLE {SCRATCH} (id integer PRIMARY KEY, word text, link integer)")
        for statement in statements_for(connection, SCRATCH, nullable=["link"], erasable=True):
            run(statement)
        run(f"INSERT INTO {SCRATCH} (id, word, link) VALUES (1, 'kept', 7)")

    def count(self) -> int:
        return int(run_scalar(f"SELECT count(*) FROM {SCRATCH}", []))

    def test_it_refuses_deletion_outside_an_erasure(self) -> None:
        self.assertTrue(refused(f"DELETE FROM {SCRATCH}"))
        self.assertEqual(self.count(), 1)

    def test_it_allows_deletion_inside_an_erasure_but_still_no_change(self) -> None:
        with transaction.atomic(), erasure_allowed():
            self.assertTrue(refused(f"UPDATE {SCRATCH} SET word = 'changed'"))
            run(f"DELETE FROM {SCRATCH}")
        self.assertEqual(self.count(), 0)

    def test_it_closes_the_door_when_the_erasure_ends(self) -> None:
        with transaction.atomic():
            with erasure_allowed():
                pass
            self.assertTrue(refused(f"DELETE FROM {SCRATCH}"))
        self.assertEqual(self.count(), 1)

    def test_it_closes_the_door_when_the_erasure_fails(self) -> None:
        with transaction.atomic():
            with pytest.raises(RuntimeError), erasure_allowed():
                run(f"DELETE FROM {SCRATCH}")
                raise RuntimeError("the erasure failed half way")
            self.assertEqual(self.count(), 1)  # its deletion is rolled back with it
            self.assertTrue(refused(f"DELETE FROM {SCRATCH}"))


class SignedReportTableTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        visit = make_visit(make_patient(self.clinic, self.screener), self.screener)
        # referable (severe NPDR in one eye): what an attacker would want to turn into "fine"
        eyes = [graded_eye("right", 3), graded_eye("left", 0)]
        self.report = signed_report(visit, self.doctor, eyes=eyes)
        assert self.report.referable

    def test_it_refuses_any_raw_change_or_deletion_of_a_signed_report(self) -> None:
        table = self.report._meta.db_table
        self.assertTrue(refused(f"UPDATE {table} SET signer_name = 'Someone else'"))
        self.assertTrue(refused(f"UPDATE {table} SET content = '{{}}'"))
        self.assertTrue(refused(f"DELETE FROM {table}"))
        self.report.refresh_from_db()
        self.assertEqual(self.report.signer_name, "Dr Kavya Rao")

    def test_it_refuses_to_replace_a_signed_report_by_its_key_or_its_version(self) -> None:
        """A grade-3 referable report must not become "No referral needed" by REPLACE."""
        table = self.report._meta.db_table
        columns = [str(f.column) for f in self.report._meta.concrete_fields]
        names = ", ".join(columns)
        values = ", ".join("false" if c == "referable" else c for c in columns)
        copy = f"SELECT {values} FROM {table}"
        without_id = ", ".join(c for c in columns if c != "id")
        new_row = f"SELECT {values.replace('id, ', '', 1)} FROM {table}"
        if connection.vendor == "sqlite":
            self.assertTrue(refused(f"INSERT OR REPLACE INTO {table} ({names}) {copy}"))
            # a new id, but the same (visit, version): REPLACE would delete the signed row
            self.assertTrue(refused(f"REPLACE INTO {table} ({without_id}) {new_row}"))
        upsert = "ON CONFLICT (id) DO UPDATE SET referable = excluded.referable"
        self.assertTrue(refused(f"INSERT INTO {table} ({names}) {copy} WHERE true {upsert}"))
        self.report.refresh_from_db()
        self.assertTrue(self.report.referable)
        self.assertEqual(type(self.report).objects.count(), 1)

    def test_it_lets_only_an_erasure_delete_a_signed_report(self) -> None:
        table = self.report._meta.db_table
        with transaction.atomic(), erasure_allowed():
            self.assertTrue(refused(f"UPDATE {table} SET signer_name = 'Someone else'"))
            run(f"DELETE FROM {table}")
        self.assertFalse(type(self.report).objects.exists())


APP_ROLE_SQL = Path(__file__).resolve().parents[2] / "docs/postgresql-app-role.sql"


class PostgresAppRoleTests(BaseTestCase):
    """The documented PostgreSQL role writes rows but cannot switch the guards off."""

    def setUp(self) -> None:
        super().setUp()
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL roles: run with DATABASE_URL=postgres://...")
        role = f"carewatch_app_{uuid.uuid4().hex[:8]}"  # roles are per server, not per database
        script = APP_ROLE_SQL.read_text().replace("carewatch_app", role)
        lines = [line for line in script.splitlines() if not line.startswith("--")]
        for statement in "\n".join(lines).split(";"):
            if statement.strip():
                run(statement)  # inside the test's transaction: rolled back, role and all
        run(f"SET ROLE {role}")
        self.addCleanup(run, "RESET ROLE")

    def denied(self, sql: str) -> bool:
        try:
            with transaction.atomic():
                run(sql)
        except DatabaseError as error:
            return "owner" in str(error) or "permission denied" in str(error)
        return False

    def test_it_writes_rows_but_cannot_disable_drop_or_truncate_the_guards(self) -> None:
        AuditEntry.objects.create(clinic=self.clinic, who="app role", action="x")
        self.assertTrue(self.denied(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL"))
        self.assertTrue(self.denied(f'DROP TRIGGER "{TABLE}_append_only" ON {TABLE}'))
        self.assertTrue(self.denied(f"TRUNCATE {TABLE}"))
        self.assertTrue(self.denied(f"ALTER TABLE {TABLE} OWNER TO CURRENT_USER"))
        self.assertTrue(refused(f"UPDATE {TABLE} SET who = 'someone else'"))
        self.assertEqual(AuditEntry.objects.get().who, "app role")
