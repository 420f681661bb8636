//! Word lists for the generator.

/// Given names.
pub const FIRST: &[&str] = &[
    "Ada", "Alan", "Alice", "Amara", "Ana", "Andrei", "Anna", "Arjun", "Ben", "Bianca", "Carla",
    "Carlos", "Chen", "Chloe", "Daniel", "David", "Elena", "Emma", "Farah", "Felix", "Grace",
    "Hana", "Hugo", "Ines", "Ivan", "Jack", "James", "Jana", "Jin", "Joao", "Julia", "Kai",
    "Karin", "Lars", "Laura", "Leila", "Liam", "Lina", "Lucas", "Maria", "Mateo", "Mei", "Mia",
    "Nadia", "Noah", "Nora", "Olga", "Omar", "Paul", "Priya", "Rafael", "Rosa", "Sam", "Sara",
    "Sofia", "Tariq", "Tom", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe",
];

/// Family names.
pub const LAST: &[&str] = &[
    "Adams", "Ahmed", "Alvarez", "Andersen", "Bauer", "Becker", "Brown", "Chen", "Costa", "Dubois",
    "Evans", "Fischer", "Garcia", "Gomez", "Hansen", "Hoffmann", "Ivanova", "Jensen", "Kim",
    "Kowalski", "Kumar", "Larsen", "Lee", "Lopez", "Martin", "Meyer", "Moreau", "Murphy",
    "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel", "Pereira", "Petrov", "Rossi",
    "Santos", "Schmidt", "Silva", "Singh", "Smith", "Tanaka", "Taylor", "Wagner", "Wang", "Weber",
    "Williams", "Wilson", "Yamamoto", "Zhang",
];

/// Suffixes for additional site names.
pub const SITE_SUFFIXES: &[&str] = &[
    "eng", "support", "labs", "eu", "apac", "sandbox", "ops", "design", "data", "legal",
];

/// Team names for custom groups.
pub const TEAMS: &[&str] = &[
    "engineering",
    "marketing",
    "sales",
    "support",
    "finance",
    "people",
    "design",
    "platform",
    "security",
    "data",
    "mobile",
    "web",
    "qa",
    "devops",
    "legal",
    "product",
    "research",
    "operations",
    "infra",
    "growth",
];

/// Job titles.
pub const TITLES: &[&str] = &[
    "Software Engineer",
    "Senior Engineer",
    "Product Manager",
    "Designer",
    "Support Agent",
    "Engineering Manager",
    "Data Analyst",
    "Account Executive",
    "QA Engineer",
    "Recruiter",
];

/// Departments.
pub const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Product",
    "Sales",
    "Support",
    "Finance",
    "People",
    "Marketing",
];

/// Free-mail domains of unmanaged accounts.
pub const FREEMAIL: &[&str] = &["gmail.com", "outlook.com", "proton.me"];
