#!/usr/bin/env python3
"""Writes a deterministic corpus of N study notes for benchmarks.

Usage: gen_corpus.py N OUT_DIR

OUT_DIR/notes/ gets N notes in nested section folders (domains of 100 notes, each split
into topics of 20). Every note has front matter, headings, a table, a list, a yaml or
python block, a box-drawing diagram, exam tips, a scenario table and links to other notes.
The same seed always gives the same bytes.
"""
import os
import random
import sys

WORDS = (
    "model endpoint latency throughput batch stream feature store pipeline registry drift "
    "monitor canary shadow rollback scaling instance container image artifact dataset "
    "label training tuning hyperparameter metric precision recall bias variance cache "
    "queue partition schema lineage governance policy encryption network subnet gateway"
).split()
SERVICES = [
    "Lambda", "Fargate", "Kinesis", "Glue", "Athena", "Redshift", "EMR", "Step Functions",
    "CodePipeline", "CloudFormation", "ECR", "ECS", "EKS", "S3", "DynamoDB", "SQS",
]


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def diagram(rng, title):
    a, b, c = (rng.choice(SERVICES) for _ in range(3))
    w = 14
    top = "┌" + "─" * w + "┐"
    return "\n".join([
        f"{title}",
        f"{top}     {top}",
        f"│{a:^{w}}│ ──► │{b:^{w}}│",
        "└" + "─" * w + "┘     └" + "─" * w + "┘",
        " " * (w // 2 + 1) + "↓",
        f"{top}",
        f"│{c:^{w}}│",
        "└" + "─" * w + "┘",
    ])


def note(rng, i, n, path_of):
    title = f"Topic {i}: {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}"
    lines = [
        "---",
        f'title: "{title}"',
        f"description: {sentence(rng, 8)}",
        f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
        "---",
        "",
        sentence(rng, 20),
        "",
        f"## Overview of {rng.choice(WORDS)} {i}",
        "",
        " ".join(sentence(rng) for _ in range(4)),
        "",
        "- " + sentence(rng, 6),
        "- " + sentence(rng, 6),
        "- " + sentence(rng, 6),
        "",
        f"## {rng.choice(SERVICES)} in practice {i}",
        "",
        "| Option | Latency | Cost | Notes |",
        "|---|---|---|---|",
    ]
    for _ in range(4):
        lines.append(f"| {rng.choice(SERVICES)} | {rng.randint(1, 900)} ms | ${rng.randint(1, 99)} | {sentence(rng, 5)} |")
    lines += ["", "```diagram", diagram(rng, f"Flow {i}"), "```", ""]
    if i % 2:
        lines += ["```yaml", "Resources:", f"  Model{i}:", "    Type: AWS::SageMaker::Model",
                  "    Properties:", f"      ModelName: model-{i % 50}", "```", ""]
    else:
        lines += ["```python", "import boto3", "", f"def handler(event, ctx):",
                  f"    return {{'id': {i % 50}, 'ok': True}}", "```", ""]
    lines += [
        f"**Exam tip:** {sentence(rng, 14)}",
        "",
        "| Scenario | Service |",
        "|---|---|",
    ]
    for _ in range(3):
        lines.append(f"| {sentence(rng, 7)[:-1]} | {rng.choice(SERVICES)} |")
    lines += ["", f"**Exam trap:** {sentence(rng, 10)}", ""]
    lines.append("### Related")
    lines.append("")
    for j in (rng.randrange(n), rng.randrange(n)):
        lines.append(f"- [{path_of(j)[1]}]({path_of(j)[0]})")
    lines.append("")
    lines += [" ".join(sentence(rng) for _ in range(5)), ""]
    return "\n".join(lines)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(1234)

    def place(j):
        d, t = j // 100, (j % 100) // 20
        return f"{d:03d}-domain", f"{t:02d}-topic", f"{j:05d}-note.md"

    def path_of_from(i):
        src = place(i)

        def rel(j):
            dst = place(j)
            if dst[:2] == src[:2]:
                return dst[2], f"note {j}"
            return f"../../{dst[0]}/{dst[1]}/{dst[2]}", f"note {j}"
        return rel

    notes = os.path.join(out, "notes")
    for i in range(n):
        d, t, f = place(i)
        folder = os.path.join(notes, d, t)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f), "w", encoding="utf-8") as fh:
            fh.write(note(rng, i, n, path_of_from(i)))
    with open(os.path.join(notes, "index.md"), "w", encoding="utf-8") as fh:
        fh.write("---\ntitle: Bench Course\n---\nGenerated notes for benchmarks.\n")
    # One note defines every service the scenario tables answer with, as real notes do.
    with open(os.path.join(notes, "services.md"), "w", encoding="utf-8") as fh:
        fh.write("---\ntitle: Services to know\n---\n")
        for svc in SERVICES:
            fh.write(f"\n## {svc}\n\n{sentence(rng, 16)}\n")


if __name__ == "__main__":
    main()
