"""Rwandan names, companies, places and phone numbers for the demo data (Faker has no
Kinyarwanda locale). People and companies are composed from these lists, each name once:
a first name with a family name, a company stem with a kind of business (and its town when
the pairs run out), never a number to tell two apart."""

from __future__ import annotations

import itertools
import random
import re

FIRST_NAMES = [
    "Jean Bosco", "Jean Claude", "Jean Paul", "Jean de Dieu", "Aline", "Claudine", "Eric",
    "Patrick", "Divine", "Emmanuel", "Olivier", "Grace", "Alice", "Diane", "Fabrice", "Innocent",
    "Josiane", "Yves", "Vestine", "Theogene", "Janvier", "Solange", "Clementine", "Didier",
    "Esperance", "Gilbert", "Chantal", "Pacifique", "Ange", "Samuel", "Beatrice", "Celestin",
    "Jeannette", "Fiston", "Annonciata", "Clarisse", "Placide", "Marie Claire",
]  # fmt: skip
LAST_NAMES = [
    "Uwimana", "Habimana", "Mukamana", "Niyonzima", "Nshimiyimana", "Uwase", "Mugisha",
    "Ndayisaba", "Iradukunda", "Hakizimana", "Ishimwe", "Nsengiyumva", "Mutesi", "Ingabire",
    "Uwamahoro", "Tuyishime", "Nizeyimana", "Bizimana", "Kayitesi", "Umutoni", "Irakoze",
    "Murenzi", "Gatete", "Karangwa", "Rukundo", "Twagirayezu", "Munyaneza", "Ntwari",
    "Byiringiro", "Mukeshimana", "Nyiransabimana", "Nsabimana",
]  # fmt: skip
COMPANY_STEMS = [
    "Inyange", "Akagera", "Umucyo", "Ubumwe", "Isonga", "Nyabugogo", "Kivu", "Virunga", "Imena",
    "Agaciro", "Ingenzi", "Umurage", "Amahoro", "Ejo Heza", "Kalisimbi", "Nyungwe", "Iriba",
    "Ikaze", "Intwari", "Urumuri", "Gisozi", "Muhabura", "Sabyinyo", "Karisoke",
]  # fmt: skip
COMPANY_KINDS = [
    "Transport Ltd", "Trading", "Coffee Cooperative", "Hardware", "Construction", "Logistics",
    "Foods", "Tea Company", "Beverages", "Cement Dealers", "Agro Processing", "General Supplies",
]  # fmt: skip
# town (the client's region) -> (district, sector) of its places
TOWNS: dict[str, list[tuple[str, str]]] = {
    "Kigali": [
        ("Nyarugenge", "Nyamirambo"), ("Nyarugenge", "Muhima"), ("Gasabo", "Remera"),
        ("Gasabo", "Kimironko"), ("Kicukiro", "Gikondo"), ("Kicukiro", "Kanombe"),
    ],
    "Huye": [("Huye", "Ngoma"), ("Huye", "Tumba")],
    "Musanze": [("Musanze", "Muhoza"), ("Musanze", "Cyuve")],
    "Rubavu": [("Rubavu", "Gisenyi"), ("Rubavu", "Rugerero")],
    "Rusizi": [("Rusizi", "Kamembe"), ("Rusizi", "Gihundwe")],
    "Nyagatare": [("Nyagatare", "Nyagatare"), ("Nyagatare", "Rukomo")],
    "Muhanga": [("Muhanga", "Nyamabuye"), ("Muhanga", "Shyogwe")],
    "Karongi": [("Karongi", "Bwishyura"), ("Karongi", "Rubengera")],
    "Rwamagana": [("Rwamagana", "Kigabiro"), ("Rwamagana", "Muhazi")],
}  # fmt: skip
MOBILE_PREFIXES = ("78", "79", "72", "73")  # MTN and Airtel
PARTS_SUPPLIERS = ["Kigali Truck Parts Ltd", "Nyabugogo Auto Spares", "Gikondo Motor Parts", "Isonga Spare Parts"]


def slug(text: str) -> str:
    """`Jean Claude` -> `jeanclaude`, for e-mail addresses."""
    return re.sub(r"[^a-z]", "", text.lower())


def phone(rng: random.Random) -> str:
    """A Rwandan mobile number, +250 7XX XXX XXX."""
    digits = f"{rng.randrange(10_000_000):07d}"
    return f"+250 {rng.choice(MOBILE_PREFIXES)}{digits[0]} {digits[1:4]} {digits[4:]}"


class Names:
    """Hands out each person and each company once, in an order fixed by the seed; places
    and phones at random. After every pair of names was given, people repeat (contacts only
    ever need that many)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        pairs = list(itertools.product(FIRST_NAMES, LAST_NAMES))
        self.rng.shuffle(pairs)
        self._people = iter(pairs)
        combos = list(itertools.product(COMPANY_STEMS, COMPANY_KINDS))
        self.rng.shuffle(combos)
        towns = list(TOWNS)
        # stem + kind first; when those run out, the same with a town (a branch elsewhere)
        self._companies = itertools.chain(
            (f"{stem} {kind}" for stem, kind in combos),
            (f"{stem} {kind} {town}" for town in towns for stem, kind in combos),
        )

    def person(self) -> tuple[str, str]:
        """(first name, family name)."""
        found = next(self._people, None)
        return found or (self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES))

    def company(self) -> str:
        return next(self._companies)

    def place(self) -> tuple[str, str]:
        """(town, "sector, district")."""
        town = self.rng.choice(list(TOWNS))
        district, sector = self.rng.choice(TOWNS[town])
        return town, f"{sector}, {district}"

    def phone(self) -> str:
        return phone(self.rng)
