//! Logos: the federation's logo in the header and on its documents, and a member's coat of
//! arms (Wappen) on the documents addressed to it.
//!
//! Only PNG and JPEG are accepted: an SVG can carry script, and both formats are printed by
//! the PDF engine as they are. The type comes from the file's first bytes, never from its
//! name or a declared content type, and the pixel size is read from the header alone (PNG
//! `IHDR`, JPEG start-of-frame), so a file is judged without decoding it; the limits keep a
//! small file from unpacking into a huge bitmap when a document is rendered.

use serde::Serialize;

use crate::validation::ValidationErrors;

/// Largest accepted file (512 KiB): a logo for a letterhead needs far less.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// Largest accepted width and height in pixels.
pub const MAX_LOGO_SIDE: u32 = 2048;

/// The accepted image formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LogoFormat {
    /// Portable Network Graphics.
    Png,
    /// JPEG (JFIF/Exif).
    Jpeg,
}

impl LogoFormat {
    /// The MIME type the file is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    /// The format of a stored MIME type.
    pub fn from_content_type(s: &str) -> Option<Self> {
        match s {
            "image/png" => Some(Self::Png),
            "image/jpeg" => Some(Self::Jpeg),
            _ => None,
        }
    }

    /// File extension, for the document renderer.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
        }
    }
}

/// What the header of an accepted file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LogoInfo {
    /// Format, from the magic bytes.
    pub format: LogoFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// An accepted logo with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// What its header says.
    pub info: LogoInfo,
    /// The file as uploaded.
    pub bytes: Vec<u8>,
}

/// Why a file is refused, as the field error `file` carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    /// Empty.
    #[error("empty file")]
    Empty,
    /// Over [`MAX_LOGO_BYTES`] (HTTP 413 in the API).
    #[error("file larger than {MAX_LOGO_BYTES} bytes")]
    TooLarge,
    /// Neither PNG nor JPEG (an SVG, a GIF, a PDF, text …).
    #[error("not a PNG or JPEG file")]
    WrongType,
    /// PNG or JPEG by its first bytes, but the header giving the size is missing or broken.
    #[error("image header unreadable")]
    Unreadable,
    /// Wider or higher than [`MAX_LOGO_SIDE`], or zero.
    #[error("image dimensions out of range")]
    Dimensions,
}

impl LogoError {
    /// The translation key of the message.
    pub fn code(self) -> &'static str {
        match self {
            Self::Empty => "error-logo-empty",
            Self::TooLarge => "error-logo-too-large",
            Self::WrongType => "error-logo-type",
            Self::Unreadable => "error-logo-unreadable",
            Self::Dimensions => "error-logo-dimensions",
        }
    }
}

impl From<LogoError> for ValidationErrors {
    fn from(e: LogoError) -> Self {
        ValidationErrors::single("file", e.code())
    }
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Checks a file and reads its format and size from the header.
pub fn inspect(bytes: &[u8]) -> Result<LogoInfo, LogoError> {
    if bytes.is_empty() {
        return Err(LogoError::Empty);
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoError::TooLarge);
    }
    let (format, (width, height)) = if bytes.starts_with(PNG_MAGIC) {
        (
            LogoFormat::Png,
            png_size(bytes).ok_or(LogoError::Unreadable)?,
        )
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (
            LogoFormat::Jpeg,
            jpeg_size(bytes).ok_or(LogoError::Unreadable)?,
        )
    } else {
        return Err(LogoError::WrongType);
    };
    if width == 0 || height == 0 || width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE {
        return Err(LogoError::Dimensions);
    }
    Ok(LogoInfo {
        format,
        width,
        height,
    })
}

/// Checks a file and keeps it.
pub fn accept(bytes: Vec<u8>) -> Result<Logo, LogoError> {
    Ok(Logo {
        info: inspect(&bytes)?,
        bytes,
    })
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

/// The first chunk of a PNG must be `IHDR` (length 13): width and height follow its type.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if be_u32(b, 8)? != 13 || b.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be_u32(b, 16)?, be_u32(b, 20)?))
}

/// Walks the JPEG marker segments up to the first start-of-frame (SOF0–SOF15 except the
/// DHT, JPG and DAC markers that share the range), which holds height and width.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        // Fill bytes: any number of 0xFF before the marker code.
        while *b.get(i + 1)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            // Markers without a length (TEM, RSTn); EOI or SOS before a frame: broken.
            0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            0xD9 | 0xDA => return None,
            _ => {}
        }
        let len = usize::from(be_u16(b, i + 2)?);
        if len < 2 {
            return None;
        }
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let height = be_u16(b, i + 5)?;
            let width = be_u16(b, i + 7)?;
            return Some((u32::from(width), u32::from(height)));
        }
        i += 2 + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG signature and IHDR chunk for `w` × `h` (enough for the header check).
    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = PNG_MAGIC.to_vec();
        b.extend_from_slice(&13u32.to_be_bytes());
        b.extend_from_slice(b"IHDR");
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    /// SOI, an APP0 segment, then a baseline SOF0 frame of `w` × `h`.
    fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend_from_slice(&[0xFF, 0xFF, 0xC0, 0x00, 0x11, 0x08]);
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        b
    }

    #[test]
    fn a_png_gives_its_size_from_the_ihdr_chunk() {
        let info = inspect(&png(300, 120)).expect("accepted");
        assert_eq!(
            info,
            LogoInfo {
                format: LogoFormat::Png,
                width: 300,
                height: 120
            }
        );
        assert_eq!(info.format.content_type(), "image/png");
    }

    #[test]
    fn a_jpeg_gives_its_size_from_the_frame_after_other_segments_and_fill_bytes() {
        let info = inspect(&jpeg(640, 480)).expect("accepted");
        assert_eq!(
            (info.format, info.width, info.height),
            (LogoFormat::Jpeg, 640, 480)
        );
    }

    #[test]
    fn a_progressive_jpeg_frame_counts_but_a_huffman_table_does_not() {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00];
        b.extend_from_slice(&[
            0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0x20, 0x00, 0x40, 1, 1, 0x11, 0,
        ]);
        let info = inspect(&b).expect("accepted");
        assert_eq!((info.width, info.height), (64, 32));
    }

    #[test]
    fn svg_gif_pdf_and_text_are_the_wrong_type() {
        for bytes in [
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>"[..],
            b"GIF89a\x01\x00\x01\x00",
            b"%PDF-1.7",
            b"Wappen",
        ] {
            assert_eq!(inspect(bytes), Err(LogoError::WrongType));
        }
    }

    #[test]
    fn empty_and_oversized_files_are_refused_before_looking_inside() {
        assert_eq!(inspect(b""), Err(LogoError::Empty));
        let mut big = png(10, 10);
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(inspect(&big), Err(LogoError::TooLarge));
        let mut just = png(10, 10);
        just.resize(MAX_LOGO_BYTES, 0);
        assert!(inspect(&just).is_ok());
    }

    #[test]
    fn dimensions_above_the_limit_or_zero_are_refused() {
        assert_eq!(inspect(&png(2049, 10)), Err(LogoError::Dimensions));
        assert_eq!(inspect(&png(10, 0)), Err(LogoError::Dimensions));
        assert_eq!(inspect(&jpeg(10, 4000)), Err(LogoError::Dimensions));
        assert!(inspect(&png(2048, 2048)).is_ok());
    }

    #[test]
    fn truncated_or_broken_headers_are_unreadable_never_a_panic() {
        let p = png(10, 10);
        for n in 8..p.len().min(24) {
            assert_eq!(inspect(&p[..n]), Err(LogoError::Unreadable), "{n} bytes");
        }
        let j = jpeg(10, 10);
        for n in 3..30 {
            assert_eq!(inspect(&j[..n]), Err(LogoError::Unreadable), "{n} bytes");
        }
        // A zero segment length would loop forever if it were taken as it is.
        assert_eq!(
            inspect(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00, 0xFF, 0xC0]),
            Err(LogoError::Unreadable)
        );
        // Start of scan before any frame.
        assert_eq!(
            inspect(&[0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02]),
            Err(LogoError::Unreadable)
        );
    }

    #[test]
    fn the_error_is_a_field_error_on_the_file() {
        let v: ValidationErrors = LogoError::WrongType.into();
        assert_eq!(v.0[0].field, "file");
        assert_eq!(v.0[0].code, "error-logo-type");
    }
}
