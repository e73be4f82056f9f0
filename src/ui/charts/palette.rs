//! Chart colours per theme, matching the CSS custom properties in www/style.css.

use plotters::style::RGBColor;

use crate::theme::Theme;

/// The colours a chart is drawn with.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub series: [RGBColor; 6],
    /// Fault bands.
    pub band: RGBColor,
    /// Action markers.
    pub marker: RGBColor,
    /// Reference lines (targets, SLOs, thresholds).
    pub reference: RGBColor,
}

impl Palette {
    /// The palette of `theme`.
    pub fn of(theme: Theme) -> Palette {
        match theme {
            Theme::Light => Palette {
                background: RGBColor(255, 255, 255),
                text: RGBColor(31, 36, 48),
                grid: RGBColor(225, 228, 234),
                series: [
                    RGBColor(35, 87, 198),
                    RGBColor(201, 73, 30),
                    RGBColor(24, 128, 56),
                    RGBColor(120, 72, 180),
                    RGBColor(196, 40, 90),
                    RGBColor(110, 110, 110),
                ],
                band: RGBColor(252, 228, 214),
                marker: RGBColor(150, 60, 20),
                reference: RGBColor(200, 40, 40),
            },
            Theme::Dark => Palette {
                background: RGBColor(24, 27, 34),
                text: RGBColor(226, 230, 238),
                grid: RGBColor(52, 58, 70),
                series: [
                    RGBColor(110, 160, 255),
                    RGBColor(255, 140, 90),
                    RGBColor(90, 200, 120),
                    RGBColor(190, 150, 255),
                    RGBColor(255, 110, 160),
                    RGBColor(170, 170, 170),
                ],
                band: RGBColor(70, 42, 34),
                marker: RGBColor(255, 170, 120),
                reference: RGBColor(255, 110, 110),
            },
        }
    }
}
