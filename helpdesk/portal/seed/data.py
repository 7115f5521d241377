"""The word lists the demo profiles are drawn from: Canadian names, cities with their area codes and
postal districts, fisheries, vessels, organisations, recovery answers. Plain data, no logic."""

from __future__ import annotations

from typing import NamedTuple

# Data tables, laid out by hand to stay readable.
# fmt: off


class City(NamedTuple):
    name: str
    province: str
    weight: int  # how often profiles live here (DFO licence holders lean Atlantic and Quebec)
    french: float  # share of profiles here who prefer French
    area_codes: tuple[str, ...]
    districts: tuple[str, ...]  # forward sortation areas: the first half of a postal code
    coast: str  # atlantic | gulf | pacific | arctic | inland


CITIES: tuple[City, ...] = (
    City("St. John's", "NL", 6, 0.01, ("709",), ("A1A", "A1B", "A1C", "A1E"), "atlantic"),
    City("Corner Brook", "NL", 2, 0.01, ("709",), ("A2H",), "gulf"),
    City("Gander", "NL", 1, 0.01, ("709",), ("A1V",), "atlantic"),
    City("Port aux Basques", "NL", 1, 0.02, ("709",), ("A0M",), "gulf"),
    City("Halifax", "NS", 7, 0.04, ("902", "782"), ("B3H", "B3J", "B3K", "B3L"), "atlantic"),
    City("Dartmouth", "NS", 3, 0.03, ("902", "782"), ("B2W", "B2Y", "B3A"), "atlantic"),
    City("Sydney", "NS", 2, 0.02, ("902",), ("B1P", "B1S"), "atlantic"),
    City("Yarmouth", "NS", 3, 0.10, ("902",), ("B5A",), "atlantic"),
    City("Lunenburg", "NS", 2, 0.01, ("902",), ("B0J",), "atlantic"),
    City("Chéticamp", "NS", 2, 0.75, ("902",), ("B0E",), "gulf"),
    City("Digby", "NS", 2, 0.05, ("902",), ("B0V",), "atlantic"),
    City("Pictou", "NS", 1, 0.01, ("902",), ("B0K",), "gulf"),
    City("Charlottetown", "PE", 4, 0.04, ("902", "782"), ("C1A", "C1E"), "gulf"),
    City("Summerside", "PE", 2, 0.08, ("902",), ("C1N",), "gulf"),
    City("Souris", "PE", 1, 0.02, ("902",), ("C0A",), "gulf"),
    City("Tignish", "PE", 1, 0.30, ("902",), ("C0B",), "gulf"),
    City("Moncton", "NB", 5, 0.35, ("506", "428"), ("E1A", "E1C", "E1E"), "gulf"),
    City("Dieppe", "NB", 2, 0.70, ("506",), ("E1A",), "gulf"),
    City("Saint John", "NB", 3, 0.05, ("506",), ("E2J", "E2L"), "atlantic"),
    City("Fredericton", "NB", 2, 0.08, ("506",), ("E3A", "E3B"), "inland"),
    City("Caraquet", "NB", 4, 0.95, ("506",), ("E1W",), "gulf"),
    City("Shippagan", "NB", 3, 0.95, ("506",), ("E8S",), "gulf"),
    City("Tracadie", "NB", 2, 0.93, ("506",), ("E1X",), "gulf"),
    City("Bathurst", "NB", 2, 0.55, ("506",), ("E2A",), "gulf"),
    City("Edmundston", "NB", 1, 0.95, ("506",), ("E3V",), "inland"),
    City("Miramichi", "NB", 2, 0.10, ("506",), ("E1N", "E1V"), "gulf"),
    City("Shediac", "NB", 2, 0.70, ("506",), ("E4P",), "gulf"),
    City("Bouctouche", "NB", 1, 0.90, ("506",), ("E4S",), "gulf"),
    City("Grand Manan", "NB", 1, 0.01, ("506",), ("E5G",), "atlantic"),
    City("Rimouski", "QC", 4, 0.97, ("418", "581"), ("G5L", "G5M"), "gulf"),
    City("Gaspé", "QC", 3, 0.85, ("418", "581"), ("G4X",), "gulf"),
    City("Matane", "QC", 2, 0.98, ("418",), ("G4W",), "gulf"),
    City("Sept-Îles", "QC", 2, 0.95, ("418", "581"), ("G4R", "G4S"), "gulf"),
    City("Cap-aux-Meules", "QC", 2, 0.92, ("418",), ("G4T",), "gulf"),
    City("Baie-Comeau", "QC", 1, 0.97, ("418",), ("G4Z", "G5C"), "gulf"),
    City("Paspébiac", "QC", 1, 0.95, ("418",), ("G0C",), "gulf"),
    City("Havre-Saint-Pierre", "QC", 1, 0.97, ("418",), ("G0G",), "gulf"),
    City("Québec", "QC", 4, 0.95, ("418", "581", "367"), ("G1R", "G1K", "G1S"), "inland"),
    City("Montréal", "QC", 5, 0.65, ("514", "438"), ("H2X", "H3A", "H2J", "H3H", "H1A"), "inland"),
    City("Trois-Rivières", "QC", 1, 0.97, ("819", "873"), ("G9A", "G8Y"), "inland"),
    City("Sherbrooke", "QC", 1, 0.90, ("819", "873"), ("J1H", "J1J"), "inland"),
    City("Gatineau", "QC", 1, 0.80, ("819", "873"), ("J8T", "J8X", "J9H"), "inland"),
    City("Toronto", "ON", 3, 0.02, ("416", "647", "437"), ("M5V", "M4C", "M6P"), "inland"),
    City("Ottawa", "ON", 2, 0.15, ("613", "343"), ("K1N", "K1S", "K2P"), "inland"),
    City("Kingsville", "ON", 1, 0.02, ("519", "226"), ("N9Y",), "inland"),
    City("Sudbury", "ON", 1, 0.20, ("705", "249"), ("P3A", "P3E"), "inland"),
    City("Thunder Bay", "ON", 1, 0.02, ("807",), ("P7B",), "inland"),
    City("Winnipeg", "MB", 1, 0.05, ("204", "431"), ("R3C", "R2M"), "inland"),
    City("Gimli", "MB", 1, 0.02, ("204",), ("R0C",), "inland"),
    City("Regina", "SK", 1, 0.02, ("306", "639"), ("S4P",), "inland"),
    City("Calgary", "AB", 1, 0.02, ("403", "587", "825"), ("T2P", "T3A"), "inland"),
    City("Edmonton", "AB", 1, 0.03, ("780", "587"), ("T5J", "T6E"), "inland"),
    City("Vancouver", "BC", 4, 0.02, ("604", "778", "236"), ("V6B", "V5K", "V6K"), "pacific"),
    City("Richmond", "BC", 2, 0.01, ("604", "778"), ("V7E", "V6Y"), "pacific"),
    City("Prince Rupert", "BC", 2, 0.01, ("250", "778"), ("V8J",), "pacific"),
    City("Campbell River", "BC", 2, 0.01, ("250", "778"), ("V9W",), "pacific"),
    City("Nanaimo", "BC", 2, 0.01, ("250", "778"), ("V9R", "V9S"), "pacific"),
    City("Port Hardy", "BC", 1, 0.01, ("250",), ("V0N",), "pacific"),
    City("Ucluelet", "BC", 1, 0.01, ("250",), ("V0R",), "pacific"),
    City("Victoria", "BC", 2, 0.02, ("250", "778"), ("V8W", "V8V"), "pacific"),
    City("Yellowknife", "NT", 1, 0.03, ("867",), ("X1A",), "arctic"),
    City("Iqaluit", "NU", 1, 0.05, ("867",), ("X0A",), "arctic"),
    City("Whitehorse", "YT", 1, 0.04, ("867",), ("Y1A",), "inland"),
)

# Postal code letters never include D, F, I, O, Q or U.
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"

STREETS_EN = (
    "Water Street", "Main Street", "Harbour Road", "Shore Road", "Church Street", "King Street",
    "Queen Street", "Victoria Road", "Ocean View Drive", "Wharf Road", "Maple Avenue",
    "Pleasant Street", "Lighthouse Road", "Cove Road", "Station Street",
)
STREETS_FR = (
    "rue Principale", "boulevard Saint-Pierre Ouest", "rue de l'Église", "chemin du Quai",
    "rue des Pêcheurs", "boulevard René-Lévesque", "route 132", "rue Saint-Jean", "avenue du Phare",
    "rue Notre-Dame", "chemin de la Grève", "rue du Havre", "boulevard Sainte-Anne",
)

GIVEN_FR_F = (
    "Marie", "Sophie", "Julie", "Isabelle", "Nathalie", "Chantal", "Josée", "Geneviève", "Mélanie",
    "Valérie", "Émilie", "Catherine", "Annie", "Sylvie", "Louise", "Lise", "Hélène", "Céline",
    "Danielle", "Manon", "Martine", "Caroline", "Stéphanie", "Amélie", "Noémie", "Léa", "Chloé",
    "Camille", "Gabrielle", "Marie-Josée", "Marie-Ève", "Anne-Marie", "Marie-Claude", "Ginette",
)
GIVEN_FR_M = (
    "Jean", "Luc", "Denis", "Pierre", "Michel", "Réjean", "Gilles", "Gaétan", "Normand", "Marc",
    "André", "Claude", "Daniel", "François", "Stéphane", "Sébastien", "Mathieu", "Alexandre",
    "Éric", "Benoît", "Rémi", "Jérôme", "Yves", "Guy", "Serge", "Jacques", "René", "Raymond",
    "Jean-François", "Jean-Pierre", "Jean-Guy", "Louis-Philippe", "Olivier", "Gabriel", "Félix",
)
GIVEN_EN_F = (
    "Mary", "Sarah", "Jennifer", "Elizabeth", "Margaret", "Katherine", "Heather", "Amanda", "Emily",
    "Jessica", "Laura", "Susan", "Karen", "Linda", "Michelle", "Rebecca", "Megan", "Olivia", "Emma",
    "Hannah", "Colleen", "Siobhan", "Bridget", "Mary Ellen", "Patricia", "Deborah", "Tracy",
)
GIVEN_EN_M = (
    "John", "James", "Robert", "William", "Michael", "David", "Richard", "Thomas", "Christopher",
    "Daniel", "Matthew", "Andrew", "Kevin", "Brian", "Patrick", "Sean", "Ryan", "Scott", "Jason",
    "Mark", "Paul", "Peter", "Gordon", "Angus", "Donald", "Kenneth", "Wayne", "Darrell", "Trevor",
    "Liam", "Noah", "Ethan", "Jonathan", "Joseph",
)
# Newer Canadians, by community: (given names of women, of men, surnames), kept together so a
# person's names come from one tradition.
OTHER_COMMUNITIES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "vietnamese": (("Linh", "Thi Mai", "Lan", "Hoa"), ("Minh", "Duc", "Tuan", "Quang"),
                   ("Nguyen", "Tran", "Le", "Pham", "Vo")),
    "punjabi": (("Harpreet", "Manpreet", "Simran", "Jaspreet"),
                ("Gurpreet", "Rajinder", "Amandeep", "Harjit"),
                ("Singh", "Gill", "Sandhu", "Dhaliwal", "Grewal")),
    "chinese": (("Jing", "Mei", "Xiu Ying", "Li Na"), ("Wei", "Jun", "Hao", "Ming"),
                ("Chen", "Wang", "Li", "Wong", "Zhang")),
    "arabic": (("Fatima", "Aisha", "Mariam", "Leila"), ("Ahmed", "Omar", "Karim", "Youssef"),
               ("Haddad", "Khoury", "Mansour", "Saleh", "Ali")),
    "gujarati": (("Priya", "Anjali", "Kavita", "Nisha"), ("Arjun", "Raj", "Vikram", "Sanjay"),
                 ("Patel", "Shah", "Desai", "Mehta")),
}

# Names people go by, when they go by another.
PREFERRED_NAMES = {
    "Jonathan": "John", "Robert": "Bob", "William": "Bill", "Michael": "Mike", "Katherine": "Kate",
    "Elizabeth": "Liz", "Margaret": "Peggy", "Richard": "Rick", "Christopher": "Chris",
    "Matthew": "Matt", "Thomas": "Tom", "Daniel": "Dan", "Patrick": "Pat", "Kenneth": "Ken",
    "Jennifer": "Jen", "Joseph": "Joe", "James": "Jim", "Patricia": "Trish", "Deborah": "Debbie",
    "Marie-Josée": "Josée", "Jean-Guy": "Guy", "Louis-Philippe": "Louis", "Rajinder": "Raj",
}

SURNAMES_FR = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier",
    "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault", "St-Pierre", "Nadeau", "Landry",
    "Cormier", "Arsenault", "Doucet", "Robichaud", "Thériault", "Chiasson", "Savoie", "Boudreau",
    "Gallant", "Haché", "Mallet", "Noël", "Duguay", "Bourque", "Comeau", "Babineau", "Després",
    "Saint-Onge", "Lachance", "Desjardins", "Séguin", "d'Entremont",
)
SURNAMES_EN = (
    "Smith", "Brown", "MacDonald", "MacLeod", "MacNeil", "MacKenzie", "Campbell", "Fraser",
    "Stewart", "Murphy", "Walsh", "O'Neil", "O'Brien", "Power", "Kelly", "Ryan", "Johnson",
    "Williams", "Wilson", "Taylor", "Anderson", "Thompson", "White", "Young", "Martin", "Clarke",
    "Hall", "Reid", "Morrison", "Cameron", "Chisholm", "Sampson", "Hynes", "Noseworthy", "Parsons",
    "Pike", "Snow", "Butler", "Penney", "Rideout", "Crowell", "Nickerson", "Mercer", "Hiscock",
    "Paul", "Sock", "Augustine", "Denny", "Francis", "Marshall", "Julian", "Googoo",
)
# Weighted by repetition: a doctor now and then.
TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"f": ("Ms.", "Mrs.", "Ms.", "Mrs.", "Ms.", "Mrs.", "Miss", "Dr."),
           "m": ("Mr.", "Mr.", "Mr.", "Mr.", "Mr.", "Mr.", "Mr.", "Dr.")},
    "fr": {"f": ("Mme", "Mme", "Mme", "Mme", "Mme", "Mme", "Mlle", "Dre"),
           "m": ("M.", "M.", "M.", "M.", "M.", "M.", "M.", "Dr")},
}
SUFFIXES = ("Jr.", "Sr.", "II", "III")

EMAIL_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.ca", "icloud.com")
# The local providers' addresses, by province.
REGIONAL_EMAIL_DOMAINS = {
    "NL": ("nl.rogers.com", "eastlink.ca"), "NS": ("eastlink.ca", "ns.sympatico.ca"),
    "PE": ("eastlink.ca", "pei.sympatico.ca"), "NB": ("nb.sympatico.ca", "rogers.com"),
    "QC": ("videotron.ca", "globetrotter.net", "cgocable.ca"), "ON": ("rogers.com", "bell.net"),
    "MB": ("mts.net", "shaw.ca"), "SK": ("sasktel.net",), "AB": ("telus.net", "shaw.ca"),
    "BC": ("telus.net", "shaw.ca"), "NT": ("northwestel.net",), "NU": ("northwestel.net",),
    "YT": ("northwestel.net",),
}

# --- non-personal accounts --------------------------------------------------------------------
# Templates take {surname}, {given}, {place}, and {of_given}, {of_place} for French: "de" before
# the name, elided where French elides it ("d'Alexandre", "d'Edmonton", but "de Yarmouth").
# Each subtype has English and French forms.
ORGANISATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "business": {
        "en": ("{surname} Fisheries Ltd.", "{place} Seafoods Inc.", "{surname} & Sons Fishing Ltd.",
               "Atlantic Shellfish Co-op", "{surname} Marine Enterprises Ltd.",
               "Blue Harbour Lobster Co."),
        "fr": ("Pêcheries {surname} Inc.", "Les Crustacés {surname} ltée",
               "Homarderie {surname} inc.", "Pêcheries {place} Inc.", "Fruits de mer {place} ltée",
               "Entreprises maritimes {surname} inc."),
    },
    "organization": {
        "en": ("{place} Harbour Authority", "{place} Fishermen's Association",
               "{place} Wharf Committee", "Atlantic Shellfish Co-op",
               "{place} Inshore Fishers' Co-operative"),
        "fr": ("Coopérative des pêcheurs {of_place}", "Administration portuaire {of_place}",
               "Association des pêcheurs côtiers {of_place}", "Comité du quai {of_place}"),
    },
    "trust": {
        "en": ("{surname} Family Trust", "The {given} {surname} Trust"),
        "fr": ("Fiducie familiale {surname}", "Fiducie {given} {surname}"),
    },
    "executor": {
        "en": ("Estate of {given} {surname}", "Estate of the late {given} {surname}"),
        "fr": ("Succession {given} {surname}", "Succession de feu {given} {surname}"),
    },
    "mandatary": {
        "en": ("{given} {surname}, by power of attorney", "Power of attorney for {given} {surname}"),
        "fr": ("{given} {surname}, par mandat", "Mandat de protection {of_given} {surname}"),
    },
}

# The first role goes to the main representative, whose details the profile carries.
REPRESENTATIVE_ROLES = {
    "business": ("president", "authorised representative", "director", "secretary-treasurer"),
    "organization": ("chair", "authorised representative", "secretary", "treasurer"),
    "trust": ("trustee", "trustee", "authorised representative"),
    "executor": ("executor", "executor", "authorised representative"),
    "mandatary": ("mandatary", "substitute mandatary", "authorised representative"),
}

# --- fishing ----------------------------------------------------------------------------------
# (English, French, areas) licence descriptions by coast; "{area}" is one of the areas.
FISHERIES = {
    "atlantic": (
        ("Lobster – LFA {area} – Commercial", "Homard – ZPH {area} – Commercial", ("27", "33", "34")),
        ("Snow crab – Area {area}", "Crabe des neiges – Zone {area}", ("19", "23", "24")),
        ("Sea scallop – SFA {area}", "Pétoncle géant – ZPP {area}", ("28", "29")),
        ("Groundfish – 4{area} – Fixed gear", "Poisson de fond – 4{area} – Engins fixes",
         ("V", "W", "X")),
        ("Atlantic herring – Fixed gear", "Hareng de l'Atlantique – Engins fixes", ("",)),
        ("Atlantic mackerel – Bait", "Maquereau bleu – Appât", ("",)),
    ),
    "gulf": (
        ("Lobster – LFA {area} – Commercial", "Homard – ZPH {area} – Commercial",
         ("23", "24", "25", "26A")),
        ("Snow crab – Area {area}", "Crabe des neiges – Zone {area}", ("12", "12E", "12F", "17")),
        ("Rock crab – LFA {area}", "Crabe commun – ZPH {area}", ("23", "25")),
        ("Northern shrimp – SFA {area}", "Crevette nordique – ZPC {area}", ("8", "9", "10", "12")),
        ("Groundfish – 4T – Fixed gear", "Poisson de fond – 4T – Engins fixes", ("",)),
        ("Atlantic herring – Fixed gear", "Hareng de l'Atlantique – Engins fixes", ("",)),
        ("Soft-shell clam – Commercial", "Mye commune – Commercial", ("",)),
    ),
    "pacific": (
        ("Salmon – Area {area} – Troll", "Saumon – Zone {area} – Traîne", ("F", "G", "H")),
        ("Dungeness crab – Area {area}", "Crabe dormeur – Zone {area}", ("A", "E", "I")),
        ("Prawn – Trap", "Crevette – Casier", ("",)),
        ("Halibut – Category L", "Flétan – Catégorie L", ("",)),
        ("Sablefish – Category K", "Morue charbonnière – Catégorie K", ("",)),
    ),
    "arctic": (
        ("Arctic char – Exploratory", "Omble chevalier – Exploratoire", ("",)),
        ("Turbot – 0{area}", "Turbot – 0{area}", ("A", "B")),
    ),
    "inland": (("Fisher registration", "Enregistrement de pêcheur", ("",)),),
}

VESSEL_NAMES = {
    "en": ("Sea Breeze", "Lady Anne", "Northern Star", "Ocean Pride", "Bay Runner", "Atlantic Dawn",
           "Miss {given}", "Morning Tide", "Silver Spray", "Island Rover", "Sea Hawk", "Cape Light"),
    "fr": ("Cap Lumière", "Le Goéland", "Marie-Soleil", "L'Étoile du Nord", "Le Vent du Large",
           "Belle-Île", "La Mouette", "Le Pionnier", "Océane", "Le Marsouin", "Petit Bonheur"),
}

# (English, French); "{year}" is the current season.
NOTIFICATIONS = (
    ("Welcome to the National Online Licensing System",
     "Bienvenue sur le Système national d'émission de permis en ligne"),
    ("Your {year} licence conditions are ready to print",
     "Vos conditions de permis {year} sont prêtes à imprimer"),
    ("Your licence renewal application has been received",
     "Votre demande de renouvellement de permis a été reçue"),
    ("Reminder: submit your logbooks for the {year} season",
     "Rappel : soumettez vos journaux de bord de la saison {year}"),
    ("Your licence fee payment was received", "Votre paiement des droits de permis a été reçu"),
    ("Your contact information was updated", "Vos coordonnées ont été mises à jour"),
)

# --- recovery answers -------------------------------------------------------------------------
# The DFO questions first, in the order of its recovery page; the others only in generated sets.
DFO_QUESTIONS = ("first_vehicle_learned", "first_car_driven", "favourite_school_subject")
OTHER_QUESTIONS = ("birth_city", "first_pet", "childhood_street", "first_employer")

VEHICLE_MAKES = (
    "Toyota", "Honda", "Ford", "Chevrolet", "Dodge", "Mazda", "Subaru", "Volkswagen", "Nissan",
    "Hyundai", "Pontiac", "Volvo", "Jeep", "GMC", "Oldsmobile", "Plymouth", "Datsun", "Buick",
)
ANSWERS = {
    "en": {
        "favourite_school_subject": ("Mathematics", "History", "Geography", "English", "French",
                                     "Biology", "Chemistry", "Physics", "Art", "Music",
                                     "Physical education"),
        "birth_city": ("Halifax", "Moncton", "St. John's", "Charlottetown", "Sydney", "Saint John",
                       "Montreal"),
        "first_pet": ("Max", "Buddy", "Daisy", "Rex", "Shadow", "Lucky", "Molly", "Sam"),
        "childhood_street": ("Water Street", "Main Street", "Harbour Road", "Maple Avenue",
                             "Church Street"),
        "first_employer": ("Tim Hortons", "Canadian Tire", "Sobeys", "Irving", "Clearwater",
                           "Home Hardware"),
    },
    "fr": {
        "favourite_school_subject": ("Mathématiques", "Histoire", "Géographie", "Français",
                                     "Anglais", "Biologie", "Chimie", "Physique", "Arts plastiques",
                                     "Musique", "Éducation physique"),
        "birth_city": ("Rimouski", "Caraquet", "Gaspé", "Québec", "Montréal", "Shippagan",
                       "Sept-Îles"),
        "first_pet": ("Minou", "Filou", "Pitou", "Grisou", "Caramel", "Ti-Loup", "Fripouille"),
        "childhood_street": ("rue Principale", "rue de l'Église", "chemin du Quai",
                             "rue Notre-Dame"),
        "first_employer": ("Jean Coutu", "Couche-Tard", "IGA", "Desjardins", "Provigo",
                           "Pêcheries du Golfe"),
    },
}
# fmt: on
