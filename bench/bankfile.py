"""The bank benchmark: check and sync of a 10,000-question bank against PyYAML's C loader.

A synthetic bank (every question type, ~300 bytes a question, ~3 MB) is written to
bench/.cache/bank-10k.yaml. In one run, on the same machine, this script times
`yaml.load(…, Loader=yaml.CSafeLoader)` of the file (the baseline), `banks check`
(read and validate, as `load_banks` does) and `banks sync` into an empty database and
again into the filled one (nothing changed), each the median of a few rounds.

    python bench/bankfile.py [--db sqlite,postgresql] [--questions 10000] [--rounds 3] [--profile]

Prints one JSON line per figure, like bench/run.py: bank_check_10k and bank_sync_10k
(value in seconds, baseline the C loader's time, ratio = value / baseline).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

QUESTIONS = 10_000
TARGET_RATIO = 2.0

# One template per question type; {n} is the question's number. Each is about 300 bytes.
TEMPLATES = [
    """  - id: q{n:05d}-mcq
    type: mcq
    prompt: Which town did the column reach on day {n} of the campaign?
    answer: Konna {n}
    distractors: [Gao, Kidal, Tessalit]
    explanation: It was the closest town to the front line at that point.
    source: {{id: s1, paragraph: {p}}}
    tags: [places]
""",
    """  - id: q{n:05d}-multi
    type: multi
    prompt: Which groups took part in assault number {n}?
    answers: [AQIM, MUJAO, Ansar Dine]
    distractors: [MNLA, Boko Haram]
    explanation: Three groups joined forces for the push south.
    source: {{id: s1, paragraph: {p}}}
""",
    """  - id: q{n:05d}-truefalse
    type: truefalse
    prompt: "Statement {n}: Barkhane covered several Sahel countries."
    answer: true
    explanation: Barkhane took over from Serval with a regional remit.
    source: {{id: s2, paragraph: {p}}}
    difficulty: easy
""",
    """  - id: q{n:05d}-short
    type: short
    prompt: Name the town with an airport where troops arrived (report {n}).
    answer: Sévaré
    accept: [Sevare, Sevaré]
    explanation: >-
      Sévaré lies next to Mopti; its airport let forces fly in close to the front.
    source: {{id: s1, paragraph: {p}}}
""",
    """  - id: q{n:05d}-number
    type: number
    prompt: How many soldiers were in unit {n}?
    answer: {n}
    tolerance: 5
    unit: soldiers
    explanation: The report gives the figure for each unit.
    source: {{id: s1, paragraph: {p}}}
    difficulty: medium
""",
    """  - id: q{n:05d}-date
    type: date
    prompt: In which month and year did event {n} happen?
    answer: 2013-01
    tolerance: 1
    explanation: The report dates it to January 2013, after an attack on the south.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-order
    type: order
    prompt: Put these events in order, earliest first ({n}).
    items:
      - {{text: Konna falls, date: 2013-01-10}}
      - {{text: France intervenes, date: 2013-01-11}}
      - {{text: Barkhane begins, date: 2014-08}}
    explanation: The decision came a day after Konna fell.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-match
    type: match
    prompt: Match each operation to its description ({n}).
    pairs:
      - {{left: Serval, right: The 2013 intervention in Mali}}
      - {{left: Barkhane, right: The regional operation from 2014}}
    distractors: [The UN mission]
    explanation: Serval was a Mali operation; Barkhane covered the Sahel.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-cloze
    type: cloze
    prompt: In {{{{2013}}}} France launched Operation {{{{Serval|Sérval}}}} (number {n}).
    explanation: Either spelling of the operation is accepted.
    source: {{id: s2, paragraph: {p}}}
""",
    """  - id: q{n:05d}-card
    type: card
    prompt: MINUSMA ({n})
    back: The United Nations stabilisation mission in Mali, set up in April 2013.
    explanation: It took over from an African-led force.
    source: {{id: s2, paragraph: {p}}}
    tags: [organisations]
""",
]

HEADER = """\
id: bench-10k
title: Benchmark bank — every question type
description: A synthetic bank for bench/bankfile.py.
language: en
sources:
  s1: {title: French troops intervene in Mali, publisher: A paper, date: 2013-01-12}
  s2: {title: A soldier killed in Mali, publisher: A news site, date: 2014-10}
tags: [bench]
questions:
"""


def bank_text(questions: int = QUESTIONS) -> str:
    """The synthetic bank: `questions` questions, every type in turn."""
    parts = [HEADER]
    for n in range(questions):
        parts.append(TEMPLATES[n % len(TEMPLATES)].format(n=n, p=n % 40 + 1))
    return "".join(parts)


def write_bank(folder: Path, questions: int = QUESTIONS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bank-{questions // 1000}k.yaml"
    text = bank_text(questions)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
