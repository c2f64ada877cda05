# Schemathesis checks for the rules the OpenAPI document can only state in words (test/api/openapi-fuzzer.test.ts).
#
# JSON Schema cannot compare two fields (a window's end after its start), read free text (a phone number valid in
# the lead's country, contact details in a chat line, a policy's YAML) or judge the items of a batch one by one. The
# document states those rules in descriptions; the fuzzer, reading only the schema, sends requests that break them.
# These two checks stand in for Schemathesis's positive_data_acceptance and negative_data_rejection and differ from
# them in one way each, driven by the table in LEADRELAY_RULES_IN_WORDS (written by the test):
# - a schema-valid request may be refused with 400 only when every field the answer names is one whose rule the
#   table lists for that operation;
# - a schema-invalid partner batch may be answered 202 only when the answer refuses some of its leads.
import json
import os
import re

import schemathesis
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

with open(os.environ["LEADRELAY_RULES_IN_WORDS"], encoding="utf-8") as table:
    RULES = json.load(table)


def _issue_fields(response):
    try:
        body = response.json()
    except Exception:
        return []
    if not isinstance(body, dict):
        return []
    return [issue.get("field", "") for issue in body.get("issues", []) if isinstance(issue, dict)]


@schemathesis.check
def positive_data_acceptance_or_rule_in_words(ctx, response, case):
    meta = case.meta
    if meta is not None and meta.generation.mode.is_positive and response.status_code == 400:
        patterns = [re.compile(p) for p in RULES.get("positive", {}).get(case.operation.label, [])]
        fields = _issue_fields(response)
        if fields and patterns and all(any(p.fullmatch(f) for p in patterns) for f in fields):
            return None
    return positive_data_acceptance(ctx, response, case)


@schemathesis.check
def negative_data_rejection_or_item_refused(ctx, response, case):
    meta = case.meta
    if (
        meta is not None
        and meta.generation.mode.is_negative
        and response.status_code == 202
        and case.operation.label in RULES.get("itemised", [])
    ):
        try:
            refused = response.json().get("refused", 0)
        except Exception:
            refused = 0
        if refused > 0:
            return None
    return negative_data_rejection(ctx, response, case)
