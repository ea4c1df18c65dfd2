"""Sampling: reproducible plans that respect the configured distributions and make every mode playable."""

from __future__ import annotations

from collections import Counter

import pytest

from fcgraph.config import CALL_MODES
from fcgraph.runner import Run


def sampler(make_config, **overrides):
    return Run(make_config(**overrides)).sampler


def test_plans_are_a_function_of_seed_and_attempt(make_config):
    first, again, other = sampler(make_config), sampler(make_config), sampler(make_config, seed=1)
    assert [first.plan(i) for i in range(20)] == [again.plan(i) for i in reversed(range(20))][::-1]
    assert [first.plan(i) for i in range(20)] != [other.plan(i) for i in range(20)]


def test_plans_respect_the_configuration(make_config):
    s = sampler(make_config, max_task_turns=2, fixed_tools=["file_info"], files_num={3: 1}, tool_nums_distribution={4: 1})
    for attempt in range(60):
        plan = s.plan(attempt)
        assert 1 <= len(plan["modes"]) <= 2 and set(plan["modes"]) <= set(CALL_MODES)
        assert plan["tools"][0] == "file_info" and len(set(plan["tools"])) == len(plan["tools"]) >= 4
        assert len(plan["files"]) == 3 and len(set(plan["files"])) == 3


def test_category_fixed_tools_come_with_their_category(make_config):
    s = sampler(make_config, category_fixed_tools={"sqlite": ["sqlite_list_tables"]}, tool_nums_distribution={1: 1},
                mode_weights={"single": 1})
    plans = [s.plan(attempt)["tools"] for attempt in range(60)]
    with_sqlite = [tools for tools in plans if any(s.registry[t].category == "sqlite" for t in tools)]
    assert with_sqlite and all("sqlite_list_tables" in tools for tools in with_sqlite)


def test_modes_needing_choice_get_enough_tools(make_config):
    s = sampler(make_config, tool_nums_distribution={1: 1})
    for attempt in range(80):
        plan = s.plan(attempt)
        if "multiple" in plan["modes"] or "dependent" in plan["modes"]:
            assert len(plan["tools"]) >= 2
        if "dependent" in plan["modes"]:
            assert any((a, b) in s.pairs for a in plan["tools"] for b in plan["tools"])


@pytest.mark.parametrize("weights", [{"single": 3, "miss_func": 1}, {"parallel": 1, "no_tool_use": 1}])
def test_dynamic_adjustment_tracks_the_target_mix_closely(make_config, weights):
    plain = sampler(make_config, mode_weights=weights, task_turn_weights={1: 1})
    steered = sampler(make_config, mode_weights=weights, task_turn_weights={1: 1},
                      dynamic_adjust_mode_and_task_turn_weight=True)
    total = sum(weights.values())

    def error(s) -> float:
        """The worst distance from the target mix over every prefix of the first 200 attempts."""
        counts, worst = Counter(), 0.0
        for attempt in range(200):
            counts[s.plan(attempt)["modes"][0]] += 1
            worst = max(worst, sum(abs(counts[m] - (attempt + 1) * w / total) for m, w in weights.items()))
        return worst

    assert error(steered) <= 2 < error(plain)


def test_tools_beyond_the_category_share_argument_names(make_config):
    s = sampler(make_config, tool_nums_distribution={12: 1}, mode_weights={"single": 1})
    for attempt in range(30):
        tools = s.plan(attempt)["tools"]
        categories = {s.registry[t].category for t in tools}
        if len(categories) > 1:
            anchor = max(categories, key=lambda c: sum(s.registry[t].category == c for t in tools))
            inside = s._argument_names([t for t in tools if s.registry[t].category == anchor])
            outside = [t for t in tools if s.registry[t].category != anchor]
            assert s._argument_names(outside[:1]) & inside  # the first tool from elsewhere shares an argument
