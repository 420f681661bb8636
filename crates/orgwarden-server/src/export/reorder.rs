//! Putting an export in the user browser's order without looking each user's access and
//! groups up one by one: users are read in account-id order (each chunk's access and groups as
//! one id range), each is written as it will appear in the file to a scratch file, and the
//! entries are copied out in the order the database sorted the account ids in.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// Where one user's entry lies in the scratch file.
#[derive(Clone, Copy)]
struct Span {
    offset: u64,
    len: usize,
}

/// Entries written in any order and copied out in a given one.
pub(super) struct Reorder {
    /// Each account id's place in the wanted order.
    place: HashMap<String, usize>,
    /// Each place's entry, once written.
    spans: Vec<Option<Span>>,
    file: BufWriter<File>,
    written: u64,
}

impl Reorder {
    /// Entries to be copied out in the order of `order` (account ids); entries of other
    /// account ids are left out.
    pub(super) fn new(order: Vec<String>) -> io::Result<Self> {
        let spans = vec![None; order.len()];
        let place = order.into_iter().zip(0..).collect();
        Ok(Self {
            place,
            spans,
            file: BufWriter::with_capacity(64 * 1024, tempfile::tempfile()?),
            written: 0,
        })
    }

    /// Writes the entry of `account_id`.
    pub(super) fn put(&mut self, account_id: &str, entry: &[u8]) -> io::Result<()> {
        let Some(&place) = self.place.get(account_id) else {
            return Ok(());
        };
        self.file.write_all(entry)?;
        self.spans[place] = Some(Span {
            offset: self.written,
            len: entry.len(),
        });
        self.written += entry.len() as u64;
        Ok(())
    }

    /// Calls `emit` with every written entry in the wanted order.
    pub(super) fn replay(self, emit: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        let Self {
            place, spans, file, ..
        } = self;
        drop(place);
        let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        let mut entry = Vec::new();
        for span in spans.into_iter().flatten() {
            entry.resize(span.len, 0);
            file.seek(SeekFrom::Start(span.offset))?;
            file.read_exact(&mut entry)?;
            emit(&entry)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replayed(reorder: Reorder) -> Vec<String> {
        let mut out = Vec::new();
        reorder
            .replay(&mut |entry| {
                out.push(String::from_utf8(entry.to_vec()).expect("utf-8"));
                Ok(())
            })
            .expect("replay");
        out
    }

    #[test]
    fn entries_come_out_whole_in_the_wanted_order() {
        let order = ["c", "a", "d", "b"].map(str::to_owned).to_vec();
        let mut reorder = Reorder::new(order).expect("scratch file");
        reorder.put("a", b"first line\n").expect("put");
        reorder.put("x", b"not wanted\n").expect("put");
        reorder
            .put("b", "ünïcode, \"quoted\"\n".as_bytes())
            .expect("put");
        reorder.put("c", b"").expect("put");
        reorder.put("d", &[b'z'; 70_000]).expect("put");
        let out = replayed(reorder);
        assert_eq!(out.len(), 4, "x is left out");
        assert_eq!(out[0], "");
        assert_eq!(out[1], "first line\n");
        assert_eq!(
            out[2],
            "z".repeat(70_000),
            "an entry larger than the buffer"
        );
        assert_eq!(out[3], "ünïcode, \"quoted\"\n");
    }

    #[test]
    fn an_account_id_never_put_is_skipped_and_an_error_of_emit_stops_the_copy() {
        let mut reorder = Reorder::new(vec!["a".into(), "b".into(), "c".into()]).expect("file");
        reorder.put("c", b"c").expect("put");
        reorder.put("a", b"a").expect("put");
        let mut seen = Vec::new();
        let stopped = reorder.replay(&mut |entry| {
            seen.push(entry.to_vec());
            Err(io::Error::other("the client went away"))
        });
        assert!(stopped.is_err());
        assert_eq!(seen, [b"a".to_vec()]);
    }
}
