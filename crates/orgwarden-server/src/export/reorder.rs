//! Putting an export in the user browser's order without reading it in that order: users are
//! read in account-id order (each chunk's access and groups in account-id order too, as one id
//! range when the chunk holds every user), each user's entry (what the format writes them
//! from) goes to a scratch file as it is read, and the entries are copied out in the order the
//! database sorted the account ids in.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt as _;

use super::formats::Emit;

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
    /// Entries to be copied out in the order of `order` (account ids), each of which must be
    /// written once.
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

    /// Writes the entry of `account_id`; one the order does not hold is an error (both reads
    /// of an export see one snapshot, so they list the same users).
    pub(super) fn put(&mut self, account_id: &str, entry: &[u8]) -> io::Result<()> {
        let Some(&place) = self.place.get(account_id) else {
            return Err(disagree());
        };
        self.file.write_all(entry)?;
        self.spans[place] = Some(Span {
            offset: self.written,
            len: entry.len(),
        });
        self.written += entry.len() as u64;
        Ok(())
    }

    /// Calls `emit` with every entry in the wanted order; an account id whose entry was never
    /// written is an error, before anything is emitted.
    pub(super) fn replay(self, emit: &mut Emit<'_>) -> io::Result<()> {
        let Self {
            place, spans, file, ..
        } = self;
        drop(place);
        let spans: Vec<Span> = spans
            .into_iter()
            .collect::<Option<_>>()
            .ok_or_else(disagree)?;
        let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        let mut entry = Vec::new();
        for span in spans {
            entry.resize(span.len, 0);
            file.read_exact_at(&mut entry, span.offset)?;
            emit(&entry)?;
        }
        Ok(())
    }
}

/// The two reads of an export listed different users.
fn disagree() -> io::Error {
    io::Error::other("the export's sorted account ids and its users differ")
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
        reorder
            .put("b", "ünïcode, \"quoted\"\n".as_bytes())
            .expect("put");
        reorder.put("c", b"").expect("put");
        reorder.put("d", &[b'z'; 70_000]).expect("put");
        let out = replayed(reorder);
        assert_eq!(out.len(), 4);
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
    fn users_the_two_reads_disagree_on_are_errors() {
        let mut reorder = Reorder::new(vec!["a".into(), "b".into()]).expect("file");
        assert!(reorder.put("x", b"x").is_err(), "not in the order");
        reorder.put("a", b"a").expect("put");
        let mut emitted = 0;
        let missing = reorder.replay(&mut |_| {
            emitted += 1;
            Ok(())
        });
        assert!(missing.is_err(), "b was never written");
        assert_eq!(
            emitted, 0,
            "nothing is emitted of a file that would lack a user"
        );
    }

    #[test]
    fn an_error_of_emit_stops_the_copy() {
        let mut reorder = Reorder::new(vec!["a".into(), "b".into()]).expect("file");
        reorder.put("b", b"b").expect("put");
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
