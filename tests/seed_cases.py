"""The seed article's known damage (16 glued words, 13 odd-but-right names), and ours.

Shared by tests/test_clean.py and bench/repair.py.
"""

SEED_GLUED = {
    "China’sauto": "China’s auto",
    "brandAudi": "brand Audi",
    "Pony.aihas": "Pony.ai has",
    "ToyotaMotor": "Toyota Motor",
    "andsophisticated": "and sophisticated",
    "toindependent": "to independent",
    "Theevolution": "The evolution",
    "reflectsthe": "reflects the",
    "andinternational": "and international",
    "aradon": "a radon",
    "isactively": "is actively",
    "oftechnological": "of technological",
    "allocationhas": "allocation has",
    "azero-sum": "a zero-sum",
    "NEVsector": "NEV sector",
    "intensifyingits": "intensifying its",
}
SEED_NAMES = [
    "Xpeng",
    "Voyah",
    "Dongfeng",
    "LiDAR",
    "DeepSeek",
    "Aramco",
    "Volklec",
    "Chang’e-6",
    "Pony.ai",
    "SAIC",
    "GAC",
    "NEVs",
    "non-discriminatory",
]

# Our own article in tests/data/articles/coastal-ferries.txt (invented, damaged the same
# ways), for a checkout without ../shared.
GLUED_GLUED = {
    "Norway’sferry": "Norway’s ferry",
    "makerKestrel": "maker Kestrel",
    "Tidewise.iohas": "Tidewise.io has",
    "andautomated": "and automated",
    "tolocal": "to local",
    "Theexperience": "The experience",
    "reflectsthe": "reflects the",
    "andinternational": "and international",
    "isactively": "is actively",
    "oftechnological": "of technological",
    "allocationhas": "allocation has",
    "azero-sum": "a zero-sum",
}
GLUED_NAMES = [
    "Vestkyst",
    "Fjordkraft",
    "Nordlys",
    "Tidewise.io",
    "ShipWorks",
    "Sørlie",
    "IMO",
    "know-how",
    "start-up",
    "long-term",
]
