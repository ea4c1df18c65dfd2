"""What each dialogue is made of: turns, call modes, offered tools, files, persona and tone.

Sampling is a pure function of (seed, attempt number, config), so the same command always plans the
same dialogues, whatever the concurrency and however often the run is resumed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from fcgraph.config import GenerationConfig
from fcgraph.datasets import recorded_mtime
from fcgraph.datasets.file_info import describe_file, directory_tree, list_files, tree_with_info
from fcgraph.datasets.personas import STYLES as TONES
from fcgraph.graph.state import DialoguePlan
from fcgraph.tools.registry import ToolRegistry
from fcgraph.tools.relations import CATEGORY_FILE_KINDS, DEPENDENT_PAIRS

K = TypeVar("K")
MODES_NEEDING_CHOICE = {"multiple": 2, "dependent": 2}  # tools a turn of that mode needs at least


def weighted(rng: random.Random, weights: Mapping[K, float]) -> K:
    keys = [key for key, weight in weights.items() if weight > 0]
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def steer(weights: Mapping[K, float], seen: Counter[K]) -> dict[K, float]:
    """Weights that favour what is behind its target share so far (dynamic re-weighting)."""
    total, expected = sum(seen.values()) + 1, sum(weights.values())
    deficits = {key: max(weight / expected * total - seen[key], 0.0) for key, weight in weights.items()}
    return deficits if sum(deficits.values()) > 0 else dict(weights)


class Environment:
    """The seed file system as sampling and the user agent see it (read once per run)."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.paths = [path.relative_to(self.root).as_posix() for path in list_files(self.root)]

    @cached_property
    def infos(self) -> dict[str, dict[str, Any]]:
        mtime = recorded_mtime(self.root)
        return {path: describe_file(self.root, self.root / path, mtime) for path in self.paths}

    def overview(self, detail: str) -> str:
        """What the assistant is told about the workspace up front: nothing, the tree, or the tree with file info."""
        if detail == "tree":
            return directory_tree(self.root)
        if detail == "tree_with_info":
            return tree_with_info(self.root, self.infos)
        return ""

    def of_kinds(self, kinds: Sequence[str]) -> list[str]:
        """Readable files of the given types (any type when none are given)."""
        return [path for path in self.paths
                if "unreadable" not in self.infos[path] and (not kinds or self.infos[path]["type"] in kinds)]


class Sampler:
    def __init__(self, config: GenerationConfig, registry: ToolRegistry, environment: Environment,
                 personas: list[dict[str, Any]]):
        self.config, self.registry, self.env, self.personas = config, registry, environment, personas
        self.categories = registry.by_category()
        self._planned_modes: list[list[str]] = []
        self.pairs = [pair for pair in DEPENDENT_PAIRS if pair[0] in registry and pair[1] in registry]
        for name in [*config.fixed_tools, *(t for names in config.category_fixed_tools.values() for t in names)]:
            if name not in registry:
                raise ValueError(f"fixed tool '{name}' is not in the tool registry")

    def data_id(self, attempt: int) -> str:
        return f"fc-{self.config.seed}-{attempt:06d}"

    def plan(self, attempt: int) -> DialoguePlan:
        rng = random.Random(f"{self.config.seed}:{attempt}")
        cfg = self.config
        turn_weights = {k: w for k, w in cfg.task_turn_weights.items() if k <= cfg.max_task_turns} or {cfg.max_task_turns: 1}
        mode_weights: Mapping[str, float] = cfg.mode_weights
        if cfg.dynamic_adjust_mode_and_task_turn_weight:
            turns_so_far, modes_so_far = self._planned_before(attempt)
            turn_weights, mode_weights = steer(turn_weights, turns_so_far), steer(mode_weights, modes_so_far)
        modes = [weighted(rng, mode_weights) for _ in range(weighted(rng, turn_weights))]
        tools, anchor_kinds = self._tools(rng, modes)
        return DialoguePlan(
            data_id=self.data_id(attempt), modes=modes, tools=tools, files=self._files(rng, anchor_kinds),
            **self._persona(rng),
        )

    def _persona(self, rng: random.Random) -> dict[str, str]:
        """A persona and the tone it writes in (its own style when it has one)."""
        persona = rng.choice(self.personas)
        tone = rng.choice(TONES)
        return {"persona": persona["persona"], "tone": persona.get("style") or tone}

    def _planned_before(self, attempt: int) -> tuple[Counter[int], Counter[str]]:
        """Turn counts and modes of all earlier attempts, planned once each and remembered."""
        while len(self._planned_modes) < attempt:
            self._planned_modes.append(self.plan(len(self._planned_modes))["modes"])
        earlier = self._planned_modes[:attempt]
        return Counter(len(modes) for modes in earlier), Counter(mode for modes in earlier for mode in modes)

    def _tools(self, rng: random.Random, modes: list[str]) -> tuple[list[str], tuple[str, ...]]:
        """Fixed tools, a dependent pair when a turn needs one, then tools of one category first."""
        wanted = max([weighted(rng, self.config.tool_nums_distribution)] + [MODES_NEEDING_CHOICE.get(m, 1) for m in modes])
        category = rng.choice(sorted(self.categories))
        chosen: list[str] = list(self.config.fixed_tools)
        if "dependent" in modes and self.pairs:
            pair = rng.choice(self.pairs)
            category = self.registry[pair[0]].category
            chosen += [name for name in pair if name not in chosen]
        chosen += [name for name in self.config.category_fixed_tools.get(category, []) if name not in chosen]
        same = [name for name in self.categories[category] if name not in chosen]
        others = [name for names in self.categories.values() for name in names if name not in chosen and name not in same]
        rng.shuffle(same)
        rng.shuffle(others)
        if len(chosen) + len(same) < wanted:  # beyond the category: tools that take the same kinds of argument
            shared = self._argument_names(chosen + same)
            others.sort(key=lambda name: -len(self._argument_names([name]) & shared))  # stable: shuffled order breaks ties
        chosen += (same + others)[: max(0, wanted - len(chosen))]
        return chosen, CATEGORY_FILE_KINDS.get(category, ())

    def _argument_names(self, tools: list[str]) -> set[str]:
        return {name for tool in tools for name in self.registry[tool].parameters.get("properties", {})}

    def _files(self, rng: random.Random, anchor_kinds: tuple[str, ...]) -> list[str]:
        """One file the category's tools can work on, the rest from the whole tree."""
        count = min(weighted(rng, self.config.files_num), len(self.env.of_kinds(())))
        anchors = self.env.of_kinds(anchor_kinds)
        chosen = [rng.choice(anchors)] if anchors else []
        rest = [path for path in self.env.of_kinds(()) if path not in chosen]
        chosen += rng.sample(rest, max(0, count - len(chosen)))
        return chosen
