"""The words of the synthetic fleet: customers, agencies, asset types and equipment labels.

Pure data, in French as the platform's customers write it. Equipment labels are free
text chosen by each customer: every canonical label has three spellings, and each
customer sticks to one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Model",
    "AssetType",
    "ASSET_TYPES",
    "COMPANIES",
    "CITIES",
    "LABEL_SPELLINGS",
    "USAGE_PATTERNS",
    "PLATE_LETTERS",
    "ACCOUNT_MAILBOXES",
    "COLOURS",
    "FAKE_DRIVER_FIRST_NAME",
    "FAKE_DRIVER_LAST_NAME",
    "FAKE_MAIL_DOMAIN",
]


@dataclass(frozen=True)
class Model:
    """A make and model of vehicle, and how fleet managers describe it.

    Parameters
    ----------
    make : str
        The make (``vehicle.marque`` of the fleet listing).
    model : str
        The model (``vehicle.modele``).
    phrase : str
        The words that start the vehicle's free-text ``description``.
    """

    make: str
    model: str
    phrase: str


@dataclass(frozen=True)
class AssetType:
    """A kind of vehicle and the equipment it may carry.

    Parameters
    ----------
    id : int
        Id of the asset type (``libelleTypeAsset.id``).
    libelle : str
        Its label (``libelleTypeAsset.libelle``).
    categorie : str
        Vehicle category (``categorie``).
    icon : str
        Icon name (``libelleTypeAsset.nomIcone``).
    equipment_sets : tuple of tuple of str
        Canonical equipment each vehicle of this type may carry (0 to 3 pieces).
    models : tuple of Model
        Makes and models of this type (their phrases start the descriptions).
    weight : int
        Relative frequency of the type in a fleet.
    """

    id: int
    libelle: str
    categorie: str
    icon: str
    equipment_sets: tuple[tuple[str, ...], ...]
    models: tuple[Model, ...]
    weight: int


ASSET_TYPES: tuple[AssetType, ...] = (
    AssetType(
        11,
        "Camion grue",
        "POIDS_LOURD",
        "camion_grue",
        (("Grue",), ("Grue", "Hayon"), ("Grue", "Benne", "Hayon")),
        (
            Model("Renault", "C 430", "Renault C 430 grue 23 t.m"),
            Model("Volvo", "FMX", "Volvo FMX grue Palfinger"),
            Model("Scania", "R 450", "Scania R 450 grue Hiab"),
        ),
        4,
    ),
    AssetType(
        12,
        "Benne TP",
        "POIDS_LOURD",
        "benne",
        (("Benne",), ("Benne", "Grue"), ("Benne", "Grue", "PTO 1")),
        (
            Model("Volvo", "FMX 8x4", "Volvo FMX 8x4 benne"),
            Model("Mercedes-Benz", "Arocs", "Mercedes Arocs benne TP"),
            Model("MAN", "TGS 35.430", "MAN TGS 35.430 benne"),
        ),
        4,
    ),
    AssetType(
        13,
        "Toupie béton",
        "POIDS_LOURD",
        "toupie",
        (("Toupie",), ("Toupie", "Tapis"), ("Toupie", "Tapis", "PTO 1")),
        (
            Model("Mercedes-Benz", "Arocs", "Mercedes Arocs toupie 8 m3"),
            Model("Renault", "K 440", "Renault K 440 malaxeur 9 m3"),
        ),
        3,
    ),
    AssetType(
        14,
        "Porteur hayon",
        "POIDS_LOURD",
        "porteur",
        (("Hayon",), ("Hayon", "PTO 1")),
        (
            Model("Renault", "D Wide", "Renault D Wide hayon 1,5 t"),
            Model("Iveco", "Eurocargo", "Iveco Eurocargo hayon"),
            Model("DAF", "LF", "DAF LF hayon rabattable"),
        ),
        3,
    ),
    AssetType(
        15,
        "Ampliroll",
        "POIDS_LOURD",
        "ampliroll",
        (("Bras ampliroll",), ("Bras ampliroll", "Grue"), ("Bras ampliroll", "Grue", "PTO 1")),
        (
            Model("Scania", "P 410", "Scania P 410 ampliroll 20 t"),
            Model("Volvo", "FM", "Volvo FM bras Guima"),
        ),
        2,
    ),
    AssetType(
        16,
        "Benne à ordures",
        "POIDS_LOURD",
        "bom",
        (("Compacteur", "Lève-conteneur"), ("Compacteur", "Lève-conteneur", "PTO 1")),
        (
            Model("Renault", "D Wide", "Renault Wide BOM 19 m3"),
            Model("Mercedes-Benz", "Econic", "Mercedes Econic BOM"),
        ),
        2,
    ),
    AssetType(
        17,
        "Pompe à béton",
        "POIDS_LOURD",
        "pompe",
        (("Pompe béton",), ("Pompe béton", "Flèche"), ("Pompe béton", "Flèche", "Toupie")),
        (Model("Schwing", "S 36 X", "Schwing S 36 X"), Model("Putzmeister", "M 38-5", "Putzmeister M 38-5")),
        1,
    ),
    AssetType(
        18,
        "Tracteur routier",
        "POIDS_LOURD",
        "tracteur",
        (("PTO 1",), ("PTO 1", "PTO 2")),
        (
            Model("DAF", "XF 480", "DAF XF 480 prise de force"),
            Model("Renault", "T 480", "Renault T 480 hydraulique"),
        ),
        2,
    ),
    AssetType(
        19,
        "Chargeuse",
        "ENGIN",
        "chargeuse",
        ((), ("Prise de force",), ("Prise de force", "Benne")),
        (
            Model("Caterpillar", "950 GC", "Caterpillar 950 GC"),
            Model("Volvo", "L90H", "Volvo L90H"),
            Model("Liebherr", "L 550", "Liebherr L 550"),
        ),
        2,
    ),
    AssetType(
        20,
        "Fourgon",
        "VUL",
        "fourgon",
        ((),),
        (
            Model("Renault", "Master", "Renault Master fourgon"),
            Model("Peugeot", "Boxer", "Peugeot Boxer L3H2"),
        ),
        1,
    ),
)

LABEL_SPELLINGS: dict[str, tuple[str, str, str]] = {
    "Grue": ("Grue", "GRUE", "Grue auxiliaire"),
    "Hayon": ("Hayon", "Hayon élévateur", "HAYON"),
    "Benne": ("Benne", "Benne basculante", "BENNE"),
    "Toupie": ("Toupie", "Toupie béton", "TOUPIE"),
    "Tapis": ("Tapis", "Tapis convoyeur", "TAPIS"),
    "Bras ampliroll": ("Bras ampliroll", "Ampliroll", "AMPLIROLL"),
    "Compacteur": ("Compacteur", "Compaction", "COMPACTEUR"),
    "Lève-conteneur": ("Lève-conteneur", "Lève-conteneurs", "LC"),
    "Pompe béton": ("Pompe béton", "Pompe", "POMPE BETON"),
    "Flèche": ("Flèche", "Flèche pompe", "FLECHE"),
    "PTO 1": ("PTO 1", "PTO 1", "PDF 1"),
    "PTO 2": ("PTO 2", "PTO 2", "PDF 2"),
    "Prise de force": ("Prise de force", "Prise de force", "PDF"),
}

USAGE_PATTERNS: dict[str, str] = {
    "Grue": "bursts",
    "Hayon": "bursts",
    "Benne": "bursts",
    "Bras ampliroll": "bursts",
    "Lève-conteneur": "bursts",
    "Flèche": "bursts",
    "Tapis": "bursts",
    "Toupie": "runs",
    "Compacteur": "long",
    "Pompe béton": "long",
    "PTO 1": "long",
    "PTO 2": "long",
    "Prise de force": "long",
}
"""How each canonical equipment is used: short ``bursts``, long ``runs`` (a concrete
drum turns all day) or ``long`` sessions (power take-offs, pumps, compactors)."""

COMPANIES: tuple[tuple[str, str], ...] = (
    ("Transports Demo", "transports-demo.fr"),
    ("Lefebvre BTP", "lefebvre-btp.fr"),
    ("Bétons du Rhône", "betons-du-rhone.fr"),
    ("Garnier Levage", "garnier-levage.fr"),
    ("Durand Environnement", "durand-environnement.fr"),
    ("Roux Matériaux", "roux-materiaux.fr"),
    ("Morel Terrassement", "morel-terrassement.fr"),
    ("Fabre Logistique", "fabre-logistique.fr"),
)

CITIES: tuple[str, ...] = (
    "Lyon",
    "Villeurbanne",
    "Grenoble",
    "Saint-Étienne",
    "Valence",
    "Annecy",
    "Chambéry",
    "Marseille",
    "Nîmes",
    "Clermont-Ferrand",
    "Dijon",
    "Mâcon",
)

PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"
"""Letters of French SIV plates (no I, O or U)."""

ACCOUNT_MAILBOXES: dict[str, tuple[str, ...]] = {
    "multi": ("exploitation", "flotte", "direction.technique"),
    "single": ("atelier", "parc", "responsable.parc"),
}
"""Mailbox names of the two demo accounts' logins."""

COLOURS: tuple[str, ...] = ("Blanc", "Blanc", "Blanc", "Gris", "Bleu", "Rouge", "Jaune", "Vert")
"""Body colours (``vehicle.couleur``), white most often."""

FAKE_DRIVER_FIRST_NAME = "Chauffeur"
FAKE_DRIVER_LAST_NAME = "FICTIF"
FAKE_MAIL_DOMAIN = "example.invalid"
"""Drivers are obviously fake people: ``Chauffeur FICTIF-0042``, mail on a reserved domain
that cannot exist (RFC 2606), phone numbers in a range no one holds."""
