//! Personal data a screening customer hands over: SSN, date of birth, EIN, email and phone. Each is a type
//! of its own, made only by validating text, and its raw value leaves only through `expose()`,
//! a call that is easy to find in review. `Debug` shows the masked form and there is no `Display`, so a
//! raw value cannot drift into a log line or a panic message by accident.

mod mask;
mod validate;

pub use mask::{DOB_MASK, EIN_MASK, Masked, SSN_MASK};
pub use validate::{
    EIN_PREFIXES, Invalid, MAX_AGE, MAX_EMAIL, STATES, is_valid_ein_prefix, validate_ip,
    validate_state, validate_zip,
};

use validate::Date;

/// The masked forms every kind of sensitive value offers.
pub trait Sensitive {
    /// The API form, fully masked as Straddle masks it.
    fn masked(&self) -> Masked;
    /// The display form: masked except the last four digits (or, for an email, the domain).
    fn masked_for_display(&self) -> Masked;
}

macro_rules! sensitive {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// The raw value. Call only where it must leave in the clear (an audited unmask).
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.masked().as_str())
            }
        }
    };
}

sensitive!(
    /// A Social Security Number, stored as `XXX-XX-XXXX`.
    Ssn
);
sensitive!(
    /// An Employer Identification Number, stored as `XX-XXXXXXX`.
    Ein
);
sensitive!(
    /// A date of birth, stored as `YYYY-MM-DD`.
    DateOfBirth
);
sensitive!(
    /// An email address, stored as given (trimmed).
    Email
);
sensitive!(
    /// A phone number in E.164 (`+12128675309`).
    Phone
);

// The `from_stored` constructors read back a value `parse` accepted when it was stored. They check only
// the stored shape, never a rule that can change after the value was accepted (the age limit moves with
// the clock; the list of EIN prefixes the IRS assigns can change): a stored customer must stay readable,
// and the current rules are applied where they matter, by re-parsing the exposed value.

impl Ssn {
    /// Accepts `XXX-XX-XXXX` or nine digits; refuses numbers the SSA never issues.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        validate::ssn(text).map(Self)
    }

    /// Reads back a stored SSN: exactly `XXX-XX-XXXX`, the form `parse` returns, and no issuance rule, so
    /// a rule tightened since it was stored cannot make the customer unreadable.
    pub fn from_stored(text: &str) -> Result<Self, Invalid> {
        validate::stored_digits("ssn", text, &[3, 5], "XXX-XX-XXXX").map(Self)
    }
}

impl Ein {
    /// Accepts `XX-XXXXXXX` or nine digits with a prefix the IRS assigns.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        validate::ein(text).map(Self)
    }

    /// Reads back a stored EIN: exactly `XX-XXXXXXX`, the form `parse` returns, without the prefix list,
    /// which can change after the EIN was stored.
    pub fn from_stored(text: &str) -> Result<Self, Invalid> {
        validate::stored_digits("ein", text, &[2], "XX-XXXXXXX").map(Self)
    }
}

impl DateOfBirth {
    /// Accepts a real `YYYY-MM-DD` date, not after `today` and at most 125 years before it. `today` is the
    /// caller's (`YYYY-MM-DD`): this crate reads no clock.
    pub fn parse(text: &str, today: &str) -> Result<Self, Invalid> {
        let today = Date::parse(today)
            .ok_or_else(|| Invalid::new("dob", "today is not a YYYY-MM-DD date"))?;
        validate::date_of_birth(text, today).map(Self)
    }

    /// Reads back a stored date of birth: only a real `YYYY-MM-DD` date. The age rule is the intake's and
    /// depends on the day it runs: a date stored years ago can now give an age over 125, and a reader's
    /// clock can differ from the writer's, and neither may make a stored customer unreadable.
    pub fn from_stored(text: &str) -> Result<Self, Invalid> {
        validate::stored_date(text).map(Self)
    }
}

impl Email {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        validate::email(text).map(Self)
    }
}

impl Phone {
    /// Accepts E.164: `+`, a country code that does not start with 0, at most 15 digits in all.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        validate::phone(text).map(Self)
    }
}
