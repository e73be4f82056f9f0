//! A canvas backend for plotters that measures text with the canvas itself.
//!
//! plotters-canvas draws well, but sizes every label (axis ticks, legends) by
//! appending a `<span>` to the page and reading its `offsetHeight`: a forced
//! synchronous layout of the whole page per label, many per chart redraw, in
//! the middle of a frame. This wrapper keeps plotters-canvas's drawing and
//! answers the two text calls itself: sizes from `measureText` (no layout),
//! and `ctx.font` set only when it changes (setting it re-parses the font).

use std::cell::RefCell;

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// plotters-canvas with canvas-measured text.
pub struct MeasuredCanvas {
    inner: CanvasBackend,
    ctx: CanvasRenderingContext2d,
    /// The font last given to `ctx` ("normal 11px sans-serif").
    font: RefCell<String>,
}

/// The error type of the wrapped backend.
type Error = <CanvasBackend as DrawingBackend>::ErrorType;

impl MeasuredCanvas {
    /// A backend drawing on `canvas`; None when it has no 2d context.
    pub fn new(canvas: HtmlCanvasElement) -> Option<MeasuredCanvas> {
        let ctx = canvas
            .get_context("2d")
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(MeasuredCanvas {
            inner: CanvasBackend::with_canvas_object(canvas)?,
            font: RefCell::new(ctx.font()),
            ctx,
        })
    }

    /// Gives `ctx` the font of `style`, unless it has it already. The string
    /// is in the form the browser serialises `ctx.font` to ("11px sans-serif",
    /// "bold 11px sans-serif"), so a chart redrawn on the same canvas finds
    /// its font already set.
    fn use_font<S: BackendTextStyle>(&self, style: &S) {
        let font = match style.style().as_str() {
            "normal" => format!("{}px {}", style.size(), style.family().as_str()),
            other => format!("{other} {}px {}", style.size(), style.family().as_str()),
        };
        let mut last = self.font.borrow_mut();
        if *last != font {
            self.ctx.set_font(&font);
            *last = font;
        }
    }
}

impl DrawingBackend for MeasuredCanvas {
    type ErrorType = Error;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_path(path, style)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Error>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Error>> {
        self.use_font(style);
        let width = self
            .ctx
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(0.0);
        // The line box of the font, as the span measurement gave it.
        let height = style.size() * 1.15;
        Ok((width.ceil() as u32, height.ceil() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Error>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let degrees = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
        if degrees != 0.0 {
            self.ctx.save();
            let turned = self
                .ctx
                .translate(x, y)
                .and_then(|()| self.ctx.rotate(degrees / 180.0 * std::f64::consts::PI));
            if turned.is_err() {
                self.ctx.restore();
                return Ok(());
            }
            (x, y) = (0.0, 0.0);
        }
        self.ctx.set_text_baseline(match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        });
        self.ctx.set_text_align(match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        });
        let (r, g, b) = color.rgb;
        self.ctx
            .set_fill_style_str(&format!("rgba({r},{g},{b},{})", color.alpha));
        self.use_font(style);
        let drawn = self.ctx.fill_text(text, x, y);
        if degrees != 0.0 {
            self.ctx.restore();
            // restore() brings back the font saved before the rotation.
            self.font.borrow_mut().clear();
        }
        drawn.map_err(|e| DrawingErrorKind::FontError(format!("fillText failed: {e:?}").into()))
    }
}
