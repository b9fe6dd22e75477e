"""Random sequences of evidence, resolutions and retractions against a real database.

After every step: the stored status equals an independent model's fold of the
spec's table, the last event's to_status is the stored status, and the history
only grows (every earlier event is unchanged).
"""

import uuid
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tracker.commands.claims import NewClaim, add_claim
from tracker.commands.evidence import NewEvidence, add_evidence, resolve, retract
from tracker.db.database import Database
from tracker.db.urls import resolve_url
from tracker.queries.history import events
from tracker.queries.shapes import event_shape

SAID_ON = date(2022, 5, 23)
TODAY = date(2022, 12, 31)
# The spec's table, written out again independently of tracker.rules.status.
TABLE = {
    ("pending", "confirms"): "confirmed",
    ("pending", "refutes"): "refuted",
    ("confirmed", "refutes"): "disputed",
    ("refuted", "confirms"): "disputed",
}


def model_status(entries: list[dict]) -> str:
    status = "pending"
    live = [e for e in entries if not e.get("retracted")]
    for entry in sorted(live, key=lambda e: (e["on"], e["seq"])):
        if "resolved_as" in entry:
            status = entry["resolved_as"]
        elif entry["stance"] in ("confirms", "refutes"):
            status = TABLE.get((status, entry["stance"]), status)
    return status


days = st.integers(min_value=0, max_value=60).map(lambda n: SAID_ON + timedelta(days=n))


def make_machine(database: Database):
    class ClaimLife(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.entries: list[dict] = []
            self.history: list[dict] = []
            self.steps = 0
            new = NewClaim(
                text="The phone launches in July",
                said_on=SAID_ON,
                key=f"life-{uuid.uuid4().hex}",  # one claim per example, all alike
            )
            self.claim_id = database.run(
                lambda s: add_claim(s, new, actor="prop", today=TODAY).id, write=True
            )

        def _write(self, work):
            self.steps += 1
            return database.run(work, write=True)

        @rule(stance=st.sampled_from(["confirms", "refutes", "supports", "contradicts"]), on=days)
        def add(self, stance, on):
            # A note of its own: an exact repeat of live evidence is refused.
            new = NewEvidence(stance=stance, on=on, note=f"entry {len(self.entries)}")
            change = self._write(
                lambda s: add_evidence(s, str(self.claim_id), new, actor="prop", today=TODAY)
            )
            self.entries.append(
                {"on": on, "seq": len(self.entries), "stance": stance, "id": change.evidence_id}
            )

        @rule(status=st.sampled_from(["pending", "confirmed", "refuted", "disputed"]), on=days)
        def resolve(self, status, on):
            self._write(
                lambda s: resolve(
                    s, str(self.claim_id), status, reason="by hand", on=on,
                    actor="prop", today=TODAY,
                )
            )  # fmt: skip
            self.entries.append({"on": on, "seq": len(self.entries), "resolved_as": status})

        @precondition(lambda self: any("id" in e and not e.get("retracted") for e in self.entries))
        @rule(data=st.data())
        def retract(self, data):
            live = [e for e in self.entries if "id" in e and not e.get("retracted")]
            entry = data.draw(st.sampled_from(live))
            self._write(
                lambda s: retract(s, entry["id"], reason="wrong", actor="prop", today=TODAY)
            )
            entry["retracted"] = True

        @invariant()
        def stored_status_is_the_replay(self):
            def read(session):
                from tracker.queries.lookup import get_claim

                claim = get_claim(session, str(self.claim_id))
                found = events(session, claim_id=self.claim_id, oldest_first=True)
                return claim.status, [event_shape(e) for e in found]

            status, history = database.run(read, write=False)
            assert status == model_status(self.entries)
            assert history[-1]["to_status"] == status
            assert history[: len(self.history)] == self.history  # insert-only
            assert len(history) == self.steps + 1  # one event per command, after `created`
            for before, after in zip(history, history[1:], strict=False):
                assert after["from_status"] == before["to_status"]
            self.history = history

    return ClaimLife


def test_stored_status_always_equals_the_replay(db_url):
    database = Database(resolve_url(db_url))
    machine = make_machine(database)
    machine.TestCase.settings = settings(
        max_examples=30,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    try:
        machine.TestCase().runTest()
    finally:
        database.dispose()
