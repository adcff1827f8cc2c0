//! Roles and what they allow. Checked by the HTTP layer on every request; stored with each key.

/// A key's role. Each includes the one before: a viewer reads (masked), an analyst also writes customers
/// and decides reviews, an admin also unmasks PII, deletes customers, reopens rejected ones and sees the
/// server's file paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Role {
    Viewer,
    Analyst,
    Admin,
}

/// What an endpoint needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    Read,
    Write,
    Decide,
    Unmask,
    Delete,
    Reopen,
    /// See where the server keeps its files (the list directories).
    Operate,
}

impl Permission {
    pub const ALL: [Self; 7] = [
        Self::Read,
        Self::Write,
        Self::Decide,
        Self::Unmask,
        Self::Delete,
        Self::Reopen,
        Self::Operate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Decide => "decide",
            Self::Unmask => "unmask",
            Self::Delete => "delete",
            Self::Reopen => "reopen",
            Self::Operate => "operate",
        }
    }

    pub fn least_role(self) -> Role {
        match self {
            Self::Read => Role::Viewer,
            Self::Write | Self::Decide => Role::Analyst,
            Self::Unmask | Self::Delete | Self::Reopen | Self::Operate => Role::Admin,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Read => "read customers",
            Self::Write => "create or change customers",
            Self::Decide => "decide reviews",
            Self::Unmask => "unmask PII",
            Self::Delete => "delete customers",
            Self::Reopen => "reopen rejected customers",
            Self::Operate => "see the server's file paths",
        }
    }
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Viewer, Self::Analyst, Self::Admin]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}
