#!/usr/bin/env python3
"""Prints 30 random cards of each built site's deck, for a person to judge against the notes.

Usage: bench/sample_cards.py PUBLIC [PUBLIC ...]   (each the output of `studysite build`)

The sample is `random.seed(4122026)` then `random.sample(cards, 30)` of the deck's cards in
`static/study/deck.js`, so the same deck gives the same cards. A quiz card shows its stem,
the right letters and the start of the explanation.
"""
import html
import json
import os
import random
import re
import sys


def text(fragment):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for public in sys.argv[1:]:
        with open(os.path.join(public, "static", "study", "deck.js"), encoding="utf-8") as fh:
            script = fh.read()
        deck = json.loads(script[script.index("{"):script.rindex("}") + 1])
        cards = deck["cards"]
        pages = deck.get("pages", [])

        def url_of(item):
            if "p" not in item:
                return item.get("url", "")
            return pages[item["p"]][0] + ("#" + item["at"] if item.get("at") else "")
        random.seed(4122026)
        print(f"### {public} ({len(cards)} cards)")
        for i, card in enumerate(random.sample(cards, min(30, len(cards))), 1):
            if "q" in card:
                quiz = deck["quizzes"][card["q"]]
                front, back = text(quiz["stem"]), quiz["answer"] + ": " + text(quiz["explanation"])[:60]
                url = url_of(quiz)
            else:
                front, back, url = text(card["front"]), text(card["back"]), url_of(card)
            print(f"{i}. [{card['kind']}] {front[:160]} => {back[:90]}  ({url})")


if __name__ == "__main__":
    main()
