"""The seed article's known damage: its 16 glued words and 13 odd-but-right names.

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
