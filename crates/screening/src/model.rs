//! One entity model for every list, so matching, evidence and the console never care which government
//! published an entry.

use serde::{Deserialize, Serialize};

/// Which list an entity comes from. Matches are reported per list because each carries its own legal
/// obligations (blocking for the SDN list, other restrictions for the consolidated non-SDN lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ListId {
    /// OFAC's Specially Designated Nationals and Blocked Persons list.
    OfacSdn,
    /// OFAC's consolidated non-SDN lists (SSI, FSE, NS-MBS, ...).
    OfacConsolidated,
    /// The UN Security Council consolidated list.
    UnConsolidated,
}

impl ListId {
    /// The name Straddle's `watch_list.matched` and `matches[].list_name` use.
    pub fn name(self) -> &'static str {
        match self {
            ListId::OfacSdn => "OFAC SDN",
            ListId::OfacConsolidated => "OFAC Consolidated (non-SDN)",
            ListId::UnConsolidated => "UN Security Council Consolidated",
        }
    }

    pub fn publisher(self) -> &'static str {
        match self {
            ListId::OfacSdn | ListId::OfacConsolidated => "OFAC",
            ListId::UnConsolidated => "UN Security Council",
        }
    }
}

/// What sort of party an entry is. Comparing a person with a vessel is how false positives are born, so the
/// kind takes part in scoring when the query states one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Individual,
    Organization,
    Vessel,
    Aircraft,
}

impl EntityKind {
    /// Reads the kind a user or a CSV states; `None` when the word is not one we know.
    pub fn parse(word: &str) -> Option<Self> {
        match word.trim().to_ascii_lowercase().as_str() {
            "individual" | "person" | "individuals" => Some(Self::Individual),
            "organization" | "organisation" | "entity" | "business" | "company" => {
                Some(Self::Organization)
            }
            "vessel" => Some(Self::Vessel),
            "aircraft" => Some(Self::Aircraft),
            _ => None,
        }
    }
}

/// OFAC's alias types: also known as, formerly known as, now known as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasType {
    Aka,
    Fka,
    Nka,
}

/// OFAC distinguishes strong a.k.a.s (a sound basis for a match) from weak ones (nicknames and the like,
/// which OFAC says should not alone trigger a block). Weak ones score lower.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasStrength {
    Strong,
    Weak,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub name: String,
    pub alias_type: AliasType,
    pub strength: AliasStrength,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// A date of birth as the lists state it: often only a year, sometimes a range ("circa", "1960 to 1965").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BirthDate {
    pub year_from: u16,
    pub year_to: u16,
    /// Month and day, when the list gives an exact date.
    pub month_day: Option<(u8, u8)>,
}

/// An identity document named in the remarks (passport, national ID, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdDocument {
    pub kind: String,
    pub number: String,
    pub country: Option<String>,
}

/// A listed party, whichever list it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub list: ListId,
    /// The id as the list publishes it: OFAC's ent_num, the UN's DATAID.
    pub source_id: String,
    pub kind: EntityKind,
    pub name: String,
    pub aliases: Vec<Alias>,
    pub programs: Vec<String>,
    pub addresses: Vec<Address>,
    pub birth_dates: Vec<BirthDate>,
    pub birth_places: Vec<String>,
    pub nationalities: Vec<String>,
    pub documents: Vec<IdDocument>,
    pub remarks: Option<String>,
}

impl Entity {
    pub fn new(list: ListId, source_id: String, kind: EntityKind, name: String) -> Self {
        Self {
            list,
            source_id,
            kind,
            name,
            aliases: Vec::new(),
            programs: Vec::new(),
            addresses: Vec::new(),
            birth_dates: Vec::new(),
            birth_places: Vec::new(),
            nationalities: Vec::new(),
            documents: Vec::new(),
            remarks: None,
        }
    }

    /// Every name the entity goes by: the primary first, then the aliases in list order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(|a| a.name.as_str()))
    }

    /// The countries this entity is tied to: address countries and nationalities, for the country factor.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.addresses
            .iter()
            .filter_map(|a| a.country.as_deref())
            .chain(self.nationalities.iter().map(String::as_str))
    }
}
