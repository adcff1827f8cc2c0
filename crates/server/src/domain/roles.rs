//! Roles and what they allow. Checked by the HTTP layer on every request; stored with each key.

/// A key's role. The staff roles nest: a viewer reads (masked), an analyst also writes customers and
/// decides reviews, an admin also unmasks PII, deletes customers, reopens rejected ones and sees the
/// server's file paths. A publishable key stands apart: it sits in a public web page (the onboarding
/// widget), so it may create customers and nothing else, and only from its own origins and Clearance's own
/// pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Role {
    Publishable,
    Viewer,
    Analyst,
    Admin,
}

/// What an endpoint needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    Read,
    /// Create a customer: the one thing a publishable key may do.
    Create,
    Write,
    Decide,
    Unmask,
    Delete,
    Reopen,
    /// Operate the server: see where it keeps its files (the list directories), refresh the lists,
    /// register webhooks.
    Operate,
    /// Export the audit log for examiners: it names customers and their matches.
    Export,
}

impl Permission {
    pub const ALL: [Self; 9] = [
        Self::Read,
        Self::Create,
        Self::Write,
        Self::Decide,
        Self::Unmask,
        Self::Delete,
        Self::Reopen,
        Self::Operate,
        Self::Export,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Create => "create",
            Self::Write => "write",
            Self::Decide => "decide",
            Self::Unmask => "unmask",
            Self::Delete => "delete",
            Self::Reopen => "reopen",
            Self::Operate => "operate",
            Self::Export => "export",
        }
    }

    /// The least staff role that may do this.
    pub fn least_role(self) -> Role {
        match self {
            Self::Read => Role::Viewer,
            Self::Create | Self::Write | Self::Decide => Role::Analyst,
            Self::Unmask | Self::Delete | Self::Reopen | Self::Operate | Self::Export => {
                Role::Admin
            }
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Read => "read customers",
            Self::Create => "create customers",
            Self::Write => "change customers",
            Self::Decide => "decide reviews",
            Self::Unmask => "unmask PII",
            Self::Delete => "delete customers",
            Self::Reopen => "reopen rejected customers",
            Self::Operate => "operate the server (its file paths, list refreshes, webhooks)",
            Self::Export => "export the audit log",
        }
    }
}

impl Role {
    /// Whether a key of this role may do `permission`.
    pub fn grants(self, permission: Permission) -> bool {
        match self {
            Self::Publishable => permission == Permission::Create,
            staff => staff >= permission.least_role(),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publishable => "publishable",
            Self::Viewer => "viewer",
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Publishable, Self::Viewer, Self::Analyst, Self::Admin]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}
