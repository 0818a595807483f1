//! Name, street and town pools for the synthetic data (UK-realistic, fictional people).

/// Given names, with accents, Welsh, Irish, Polish, South Asian and West African names.
pub const GIVEN: &[&str] = &[
    "John", "Mary", "David", "Sarah", "James", "Emma", "Michael", "Laura", "Robert", "Claire",
    "William", "Rachel", "Thomas", "Sophie", "Daniel", "Hannah", "Paul", "Rebecca", "Mark", "Jessica",
    "Andrew", "Amy", "Peter", "Lucy", "Richard", "Charlotte", "Christopher", "Emily", "Stephen", "Olivia",
    "Zoë", "Siân", "Chloé", "Seán", "Renée", "Niamh", "Aoife", "Dafydd", "Rhiannon", "Gruffydd",
    "Cerys", "Eleri", "Łukasz", "Agnieszka", "Katarzyna", "Piotr", "Mohammed", "Priya", "Aisha", "Imran",
    "Fatima", "Rajesh", "Anjali", "Oluwaseun", "Chidi", "Ngozi", "Kwame", "Abena", "Anne-Marie", "Jean-Paul",
    "Mary-Jane", "Gareth", "Bethan", "Declan", "Siobhan", "Ciarán", "Eilidh", "Hamish", "Morag", "Callum",
    "Jack", "Grace", "Harry", "Isla", "George", "Ava", "Oscar", "Mia", "Leo", "Freya",
];

/// Surnames, with apostrophes, hyphens, spaces and accents.
pub const SURNAMES: &[&str] = &[
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "O'Neill", "O'Brien", "O'Connor", "McDonald", "MacLeod", "McKenzie", "Smith-Jones", "Ashby-Clarke",
    "Lloyd Webber", "Bonham Carter", "Müller", "Nowak", "Kowalski", "Łukasiewicz", "Wiśniewska", "Khan",
    "Ahmed", "Begum", "Hussain", "Singh", "Kaur", "Sharma", "Okafor", "Adeyemi", "Mensah", "Boateng",
    "Nguyen", "Chen", "Llewellyn", "Pritchard", "Rees", "Price", "Morgan", "Griffiths", "Ní Bhriain",
    "D'Souza", "St John", "Fitzgerald", "Murphy", "Kelly", "Byrne", "Campbell", "Stewart", "Murray",
];

/// Street names (without the house number and suffix).
pub const STREETS: &[&str] = &[
    "High", "Church", "Station", "Mill", "Park", "Victoria", "Queens", "Kings", "Manor", "Chapel",
    "Green", "School", "New", "Albert", "Bridge", "Springfield", "Meadow", "Oak", "Elm", "Beech",
    "Windsor", "Grange", "Castle", "Forest", "Heol y Nant", "Ffordd Glyndŵr", "Orchard", "Hawthorn",
    "Willow", "Cedar", "Rosemary", "Primrose", "Lark", "Riverside", "Canal", "Market", "Vicarage",
];

/// Street suffixes: (full, abbreviation).
pub const SUFFIXES: &[(&str, &str)] = &[
    ("Street", "St"),
    ("Road", "Rd"),
    ("Avenue", "Ave"),
    ("Lane", "Ln"),
    ("Close", "Cl"),
    ("Gardens", "Gdns"),
    ("Crescent", "Cres"),
    ("Way", "Way"),
];

/// Towns with postcode areas.
pub const TOWNS: &[(&str, &str)] = &[
    ("Leeds", "LS"), ("Manchester", "M"), ("Birmingham", "B"), ("London", "SE"), ("London", "E"),
    ("Croydon", "CR"), ("Sheffield", "S"), ("Bristol", "BS"), ("Cardiff", "CF"), ("Swansea", "SA"),
    ("Liverpool", "L"), ("Newcastle upon Tyne", "NE"), ("Norwich", "NR"), ("Peterborough", "PE"),
    ("Cambridge", "CB"), ("Ipswich", "IP"), ("Colchester", "CO"), ("Glasgow", "G"), ("Belfast", "BT"),
    ("Doncaster", "DN"),
];

/// Districts for Address Line 2.
pub const DISTRICTS: &[&str] = &["Headingley", "Moss Side", "Ladywood", "Peckham", "Canton", "Everton", "Hillsborough", "Bedminster"];

/// E-mail domains for tenants.
pub const TENANT_DOMAINS: &[&str] = &[
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.uk", "btinternet.com", "icloud.com",
];

/// E-mail domains for non-tenants (never used by tenants, so no accidental match).
pub const OTHER_DOMAINS: &[&str] = &["example.com", "mail.example.org", "example.net", "example.co.uk"];

/// ASCII spelling of an accented name, as leak dumps often have it.
pub fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ë' | 'é' | 'è' => 'e',
            'â' | 'á' => 'a',
            'í' => 'i',
            'ó' | 'ö' => 'o',
            'ü' | 'ú' => 'u',
            'ŵ' => 'w',
            'Ł' => 'L',
            'ł' => 'l',
            'ś' => 's',
            c => c,
        })
        .collect()
}
