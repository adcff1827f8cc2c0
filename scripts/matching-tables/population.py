#!/usr/bin/env python3
"""Writes a population of synthetic names, one per line, from every PyPI `faker` locale (most in their own
script), for the word weights in crates/screening/src/tables/weights.tsv. Its seed differs from the
held-out sets' (eval/heldout/generate.py), so the weights are not read off the names they are measured on.

    python3 -m venv /tmp/faker && /tmp/faker/bin/pip install -r eval/heldout/requirements.txt
    /tmp/faker/bin/python scripts/matching-tables/population.py > /tmp/population.txt
"""

import random

from faker import Faker
import faker.config

SEED = 7_2026_1202
PER_LOCALE = 3000


def main():
    rng = random.Random(SEED)
    for locale in sorted(faker.config.AVAILABLE_LOCALES):
        fake = Faker(locale)
        fake.seed_instance(rng.randrange(1 << 30))
        for _ in range(PER_LOCALE):
            print(fake.name().replace("\n", " "))


if __name__ == "__main__":
    main()
