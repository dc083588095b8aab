//! A source file's text: its size and encoding checked (UTF-8, with or without a byte-order
//! mark; UTF-16/32 and GBK/GB18030 refused with the `iconv` command that converts them) and its
//! lines looked up for snippets.

use crate::diag::{Diagnostic, Pos};
use crate::lang::Lang;
use crate::tr;

/// Files larger than this are refused before parsing (SPEC §5.3).
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// A source file's name (as the user gave it) and text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    /// Checks size and encoding and strips a UTF-8 byte-order mark (SPEC §5.3).
    pub fn decode(name: &str, bytes: Vec<u8>, lang: Lang) -> Result<Source, Diagnostic> {
        let err = |m: String| Diagnostic::error(name, Pos::UNKNOWN, m);
        if bytes.len() > MAX_FILE_BYTES {
            let mib = MAX_FILE_BYTES / 1024 / 1024;
            return Err(err(tr!(
                lang,
                "文件超过了 {mib} MiB 的大小上限",
                "file is larger than the limit of {mib} MiB"
            )));
        }
        // UTF-32's marks begin like UTF-16's (FF FE 00 00), so they are told first.
        if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
            return Err(err(tr!(
                lang,
                "文件是 UTF-32 编码；请另存为 UTF-8（例如 `iconv -f UTF-32 -t UTF-8 FILE > FILE.utf8`）",
                "file is UTF-32 encoded; save it as UTF-8 (e.g. `iconv -f UTF-32 -t UTF-8 FILE > FILE.utf8`)"
            )));
        }
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(err(tr!(
                lang,
                "文件是 UTF-16 编码；请另存为 UTF-8（例如 `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`）",
                "file is UTF-16 encoded; save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`)"
            )));
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(err(tr!(lang, "文件是空的", "file is empty")));
        }
        if body.contains(&0) {
            return Err(err(what_binary_is(body, lang)));
        }
        match std::str::from_utf8(body) {
            Ok(text) => Ok(Source { name: name.to_owned(), text: text.to_owned() }),
            Err(e) => {
                let (line, col) = line_col_of(body, e.valid_up_to());
                let pos = Pos::new(line, col);
                if looks_like_gbk(body) {
                    Err(Diagnostic::error(
                        name,
                        pos,
                        tr!(
                            lang,
                            "文件不是 UTF-8 编码，看起来是 GBK/GB18030（中文 Windows 常用的编码）。请用 `iconv -f GBK -t UTF-8 FILE > FILE.utf8` 转换，或另存为 UTF-8",
                            "file is not UTF-8; it looks like GBK/GB18030 (common on Chinese Windows). Convert it with `iconv -f GBK -t UTF-8 FILE > FILE.utf8` or save it as UTF-8"
                        ),
                    ))
                } else {
                    Err(Diagnostic::error(
                        name,
                        pos,
                        tr!(
                            lang,
                            "文件不是有效的 UTF-8 编码；请另存为 UTF-8",
                            "file is not valid UTF-8; save it as UTF-8"
                        ),
                    ))
                }
            }
        }
    }

    /// The text of line `line` (1-based), for snippets.
    pub fn line(&self, line: u32) -> Option<&str> {
        self.text.lines().nth((line as usize).checked_sub(1)?)
    }
}

/// The 1-based line and column (in characters) of byte `offset`.
pub(super) fn line_col_of(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
}

/// Why a file holding NUL bytes is not read: text in a wide encoding without its byte-order
/// mark (named, with the `iconv` command that converts it), a workbook under a YAML name, or
/// other binary content.
fn what_binary_is(bytes: &[u8], lang: Lang) -> String {
    if bytes.starts_with(b"PK\x03\x04") {
        return tr!(
            lang,
            "文件是 zip 压缩包（可能是 .xlsx 工作簿），不是 YAML 文本文件；工作簿的文件名须以 .xlsx 结尾",
            "file is a zip archive (an .xlsx workbook?), not a YAML text file; a workbook's name must end in .xlsx"
        );
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return tr!(
            lang,
            "文件是 OLE2 复合文档（Excel 97–2003 工作簿或加密的工作簿），不是 YAML 文本文件",
            "file is an OLE2 container (an Excel 97–2003 or encrypted workbook), not a YAML text file"
        );
    }
    match unmarked_wide_encoding(bytes) {
        Some(encoding) => tr!(
            lang,
            "文件是没有字节顺序标记（BOM）的 {encoding} 编码；请另存为 UTF-8（例如 `iconv -f {encoding} -t UTF-8 FILE > FILE.utf8`）",
            "file is {encoding} encoded, without a byte-order mark; save it as UTF-8 (e.g. `iconv -f {encoding} -t UTF-8 FILE > FILE.utf8`)"
        ),
        None => tr!(lang, "文件是二进制文件，不是 YAML 文本文件", "file is binary, not a YAML text file"),
    }
}

/// The encoding of text written in UTF-32 or UTF-16 without a byte-order mark, told from its
/// first 4 KiB read in each width and byte order: the reading that gives only characters, no
/// control character but tab and line ends (a UTF-16 surrogate cut by the end of the sample
/// excepted) and some ASCII, as YAML's punctuation and line ends are (read in another width or
/// byte order, ASCII characters are not ASCII, or not characters). Binary content gives NULs,
/// control characters or invalid units.
fn unmarked_wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(4096)];
    let cut = sample.len() < bytes.len();
    let text = |chars: &mut dyn Iterator<Item = Option<char>>| {
        let mut ascii = false;
        let mut chars = chars.peekable();
        while let Some(c) = chars.next() {
            match c {
                Some(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => return false,
                Some(c) => ascii |= c.is_ascii(),
                // Half of a pair, where the sample ends inside it.
                None if cut && chars.peek().is_none() => {}
                None => return false,
            }
        }
        ascii
    };
    // A whole file is whole units; a sample of 4 KiB is too.
    let utf32 = |decode: fn([u8; 4]) -> u32| {
        sample.len().is_multiple_of(4)
            && text(&mut sample.chunks_exact(4).map(|c| char::from_u32(decode([c[0], c[1], c[2], c[3]]))))
    };
    let utf16 = |decode: fn([u8; 2]) -> u16| {
        if !sample.len().is_multiple_of(2) {
            return false;
        }
        let units = sample.chunks_exact(2).map(|c| decode([c[0], c[1]]));
        text(&mut char::decode_utf16(units).map(Result::ok))
    };
    if utf32(u32::from_le_bytes) {
        Some("UTF-32LE")
    } else if utf32(u32::from_be_bytes) {
        Some("UTF-32BE")
    } else if utf16(u16::from_le_bytes) {
        Some("UTF-16LE")
    } else if utf16(u16::from_be_bytes) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// True when the non-ASCII bytes form valid GBK/GB18030 double-byte pairs throughout.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let mut i = 0;
    let mut pairs = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&t) = bytes.get(i + 1) else { return false };
        if !(0x81..=0xFE).contains(&b) || !(0x40..=0xFE).contains(&t) || t == 0x7F {
            return false;
        }
        pairs += 1;
        i += 2;
    }
    pairs > 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::yaml::tree::{Key, Kind, Node};

    fn map(node: &Node) -> &[(Key, Node)] {
        match &node.kind {
            Kind::Map(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn encodings() {
        let bom = Source::decode("f", b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n".to_vec(), Lang::En).unwrap();
        assert_eq!(map(&bom.parse(Lang::En).unwrap()).len(), 2);
        // "预算" in GBK.
        let gbk = Source::decode("f", b"a: \xd4\xa4\xcb\xe3\n".to_vec(), Lang::En).unwrap_err();
        assert!(gbk.message.contains("GBK"), "{}", gbk.message);
        let utf16 = Source::decode("f", vec![0xFF, 0xFE, b'a', 0], Lang::En).unwrap_err();
        assert!(utf16.message.contains("UTF-16"));
        assert!(Source::decode("f", b"  \n".to_vec(), Lang::En).unwrap_err().message.contains("empty"));
        assert!(Source::decode("f", b"a\0b".to_vec(), Lang::En).unwrap_err().message.contains("binary"));
    }
}
