//! Which parts an embed shows: `?embed=1&show=diagram,charts,actions`.
//! Pure (no web types), so the URL codec can read and write it.

/// The parts of the playground an embed shows; all three when the link has no
/// `show=`. Written and read in the order of [`EmbedParts::NAMES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbedParts {
    /// The architecture diagram and its inspector.
    pub diagram: bool,
    /// The key live charts.
    pub charts: bool,
    /// The action buttons (spike, kill zone…).
    pub actions: bool,
}

impl Default for EmbedParts {
    fn default() -> Self {
        EmbedParts {
            diagram: true,
            charts: true,
            actions: true,
        }
    }
}

impl EmbedParts {
    /// The part names a link may use, in the order they are written.
    pub const NAMES: [&'static str; 3] = ["diagram", "charts", "actions"];

    /// True when every part is shown (the default, written as no `show=`).
    pub fn is_all(&self) -> bool {
        *self == EmbedParts::default()
    }

    /// Reads `diagram,charts` (any order, repeats allowed). An unknown or
    /// missing name is an error that names it and lists the valid ones.
    pub fn parse(text: &str) -> Result<EmbedParts, String> {
        let valid = EmbedParts::NAMES.join(", ");
        let mut parts = EmbedParts {
            diagram: false,
            charts: false,
            actions: false,
        };
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "diagram" => parts.diagram = true,
                "charts" => parts.charts = true,
                "actions" => parts.actions = true,
                other => {
                    return Err(format!(
                        "show= has no part \u{201c}{other}\u{201d}: the parts are {valid}"
                    ))
                }
            }
        }
        if !(parts.diagram || parts.charts || parts.actions) {
            return Err(format!("show= names no part: the parts are {valid}"));
        }
        Ok(parts)
    }

    /// The names of the shown parts, comma-separated ("diagram,actions").
    pub fn to_query(&self) -> String {
        EmbedParts::NAMES
            .into_iter()
            .zip([self.diagram, self.charts, self.actions])
            .filter(|(_, on)| *on)
            .map(|(name, _)| name)
            .collect::<Vec<_>>()
            .join(",")
    }
}
