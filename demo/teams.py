"""Seed 000's territories and PAT trinômes: the eight teams of the Hauts-de-France demo
programme (``demo.programmes``), the official rows of their territories, and the team
member whose login ``load_demo`` prints."""

from demo.common import demo_email
from territoires.models import Territory

REGION = ("32", "Hauts-de-France")
DEPARTEMENTS = {"02": "Aisne", "59": "Nord", "60": "Oise", "62": "Pas-de-Calais", "80": "Somme"}

# (territory name, kind, département, e-mail domain, trinôme in role order:
#  élu·e référent·e, chargé·e de mission, responsable de service)
TEAMS = [
    (
        "Métropole Européenne de Lille",
        Territory.Kind.EPCI,
        "59",
        "mel.example",
        [
            ("Sylvie", "Vandamme", "Vice-présidente agriculture et alimentation"),
            ("Thomas", "Leroy", "Chargé de mission Projet alimentaire territorial"),
            ("Isabelle", "Caron", "Responsable du service agriculture"),
        ],
    ),
    (
        "Communauté d'agglomération du Douaisis",
        Territory.Kind.EPCI,
        "59",
        "douaisis-agglo.example",
        [
            ("Jean-Marc", "Dupont", "Vice-président transition agricole et alimentaire"),
            ("Amandine", "Lefort", "Chargée de mission PAT"),
            ("Karim", "Haddad", "Responsable du service développement économique"),
        ],
    ),
    (
        "Parc naturel régional de l'Avesnois",
        Territory.Kind.PNR,
        "59",
        "parc-avesnois.example",
        [
            ("Martine", "Dhont", "Vice-présidente du Parc, agriculture"),
            ("Lucas", "Fontaine", "Chargé de mission alimentation et circuits courts"),
            ("Céline", "Marchand", "Responsable du pôle agriculture et territoire"),
        ],
    ),
    (
        "Pays de Saint-Omer",
        Territory.Kind.PAYS,
        "62",
        "pays-saint-omer.example",
        [
            ("Philippe", "Delmotte", "Élu référent alimentation"),
            ("Élodie", "Vasseur", "Chargée de projet PAT"),
            ("Mathieu", "Lemaire", "Responsable du service aménagement et agriculture"),
        ],
    ),
    (
        "Communauté urbaine d'Arras",
        Territory.Kind.EPCI,
        "62",
        "cu-arras.example",
        [
            ("Catherine", "Flament", "Vice-présidente développement durable"),
            ("Hugo", "Dufour", "Chargé de mission PAT"),
            ("Nathalie", "Boulanger", "Responsable du service transition écologique"),
        ],
    ),
    (
        "Amiens Métropole",
        Territory.Kind.EPCI,
        "80",
        "amiens-metropole.example",
        [
            ("François", "Lecomte", "Vice-président agriculture urbaine et alimentation"),
            ("Julie", "Mercier", "Chargée de mission Projet alimentaire territorial"),
            ("Olivier", "Roussel", "Responsable du service restauration collective"),
        ],
    ),
    (
        "Communauté de communes du Pays de Bray",
        Territory.Kind.EPCI,
        "60",
        "cc-paysdebray.example",
        [
            ("Annie", "Boucher", "Vice-présidente économie et agriculture"),
            ("Antoine", "Gosselin", "Chargé de mission PAT"),
            ("Sandrine", "Lebrun", "Directrice générale des services"),
        ],
    ),
    (
        "Communauté d'agglomération du Pays de Laon",
        Territory.Kind.EPCI,
        "02",
        "agglo-laon.example",
        [
            ("Patrick", "Dumont", "Vice-président ruralité et alimentation"),
            ("Camille", "Renard", "Chargée de mission PAT"),
            ("Stéphane", "Carpentier", "Responsable du service développement territorial"),
        ],
    ),
]
# The team member whose login the command prints: the MEL's chargé de mission, expected
# at every session of the parcours, the role-based training included.
TEAM_MEMBER_LOGIN = (0, 1)  # (team index, trinôme index)


def team_member_login() -> tuple[str, str, str]:
    """(full name, e-mail, team name) of the team member whose login is printed."""
    team_index, person_index = TEAM_MEMBER_LOGIN
    name, _kind, _dept, domain, trinome = TEAMS[team_index]
    first_name, last_name, _function = trinome[person_index]
    return f"{first_name} {last_name}", demo_email(first_name, last_name, domain), name


# Official codes (SIREN) of the demo's EPCI, as in the Code officiel géographique loaded
# by ``load_territories``: the teams point at the official rows (PNR and pays are free
# entries, without code).
EPCI_SIREN = {
    "Métropole Européenne de Lille": "200093201",
    "Communauté d'agglomération du Douaisis": "200044618",
    "Communauté urbaine d'Arras": "200033579",
    "Amiens Métropole": "248000531",
    "Communauté de communes du Pays de Bray": "246000913",
    "Communauté d'agglomération du Pays de Laon": "200043495",
}


def territories() -> list[Territory]:
    region, _created = Territory.objects.get_or_create(
        kind=Territory.Kind.REGION, code=REGION[0], defaults={"name": REGION[1]}
    )
    departements = {}
    for code, name in DEPARTEMENTS.items():
        departements[code], _created = Territory.objects.get_or_create(
            kind=Territory.Kind.DEPARTEMENT, code=code, defaults={"name": name, "parent": region}
        )
    territories = []
    for name, kind, departement, _domain, _trinome in TEAMS:
        code = EPCI_SIREN.get(name, "")
        found = Territory.objects.filter(kind=kind)
        territory = (found.filter(code=code) if code else found.filter(name=name)).first()
        if territory is None:  # the reference geography is not loaded
            territory = Territory.objects.create(
                kind=kind, code=code, name=name, parent=departements[departement]
            )
        territories.append(territory)
    return territories
