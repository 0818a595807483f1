//! E-mails (eml) and mailboxes (mbox), read with `mail-parser`: the people in the headers,
//! the subject, the text bodies (HTML bodies as text), and the attachments as documents of
//! their own.

use super::{DocError, Extracted, TextBlock};
use mail_parser::{Address, MessageParser, MimeHeaders};

/// One e-mail.
pub fn eml(bytes: &[u8]) -> Result<Extracted, DocError> {
    let mut out = Extracted::default();
    message(bytes, "", &mut out)?;
    Ok(out)
}

/// A mailbox: each message located as `message N`, its attachments named
/// `message N/attachment`.
pub fn mbox(bytes: &[u8]) -> Result<Extracted, DocError> {
    let mut out = Extracted::default();
    let mut n = 0;
    for m in mail_parser::mailbox::mbox::MessageIterator::new(std::io::Cursor::new(bytes)) {
        n += 1;
        match m {
            Ok(m) => {
                if let Err(e) = message(m.contents(), &format!("message {n}, "), &mut out) {
                    out.notes.push(format!("message {n}: {e}"));
                }
            }
            Err(_) => out
                .notes
                .push(format!("message {n} could not be read and was skipped")),
        }
    }
    if n == 0 {
        return Err(DocError("no messages found in the mailbox".into()));
    }
    Ok(out)
}

fn message(bytes: &[u8], prefix: &str, out: &mut Extracted) -> Result<(), DocError> {
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or_else(|| DocError("not an e-mail message".into()))?;
    let mut headers = Vec::new();
    for (label, addr) in [
        ("From", msg.from()),
        ("To", msg.to()),
        ("Cc", msg.cc()),
        ("Bcc", msg.bcc()),
        ("Reply-To", msg.reply_to()),
    ] {
        if let Some(a) = addr {
            headers.push(format!("{label}: {}", people(a)));
        }
    }
    if let Some(s) = msg.subject() {
        headers.push(format!("Subject: {s}"));
    }
    let number = out.text.len() as u64 + 1;
    if !headers.is_empty() {
        // One line per header, so a name is only "near" the address beside it.
        for h in headers {
            out.text.push(TextBlock {
                loc: format!("{prefix}headers"),
                number,
                text: h,
            });
        }
    }
    for i in 0..msg.text_body_count() {
        if let Some(body) = msg.body_text(i) {
            for b in super::text::plain(&body).text {
                out.text.push(TextBlock {
                    loc: format!("{prefix}body {}", b.loc),
                    number: b.number,
                    text: b.text,
                });
            }
        }
    }
    for (i, part) in msg.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(str::to_string)
            .unwrap_or_else(|| format!("attachment {}", i + 1));
        let name = format!("{prefix}{}", name.replace(['/', '\\'], "_"));
        if let Some(inner) = part.message() {
            // A forwarded message: its raw bytes are another e-mail.
            let raw = inner.raw_message().to_vec();
            out.children.push((format!("{name}.eml"), raw));
        } else {
            out.children.push((name, part.contents().to_vec()));
        }
    }
    Ok(())
}

fn people(a: &Address) -> String {
    a.iter()
        .map(|p| match (&p.name, &p.address) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (None, Some(e)) => e.to_string(),
            (Some(n), None) => n.to_string(),
            (None, None) => String::new(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes a simple e-mail with one text body and attachments (base64), for the sample
/// generator and tests.
pub fn write_simple(
    from: &str,
    to: &str,
    subject: &str,
    body: &str,
    attachments: &[(&str, &str, &[u8])],
) -> Vec<u8> {
    use std::fmt::Write;
    let boundary = "=_breachmatch_sample_boundary";
    let mut s = String::new();
    let _ = write!(
        s,
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Tue, 05 Mar 2024 09:12:00 +0000\r\nMessage-ID: <sample-{}@example.org>\r\nMIME-Version: 1.0\r\n",
        subject.len()
    );
    if attachments.is_empty() {
        let _ = write!(
            s,
            "Content-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
            body.replace('\n', "\r\n")
        );
        return s.into_bytes();
    }
    let _ = write!(
        s,
        "Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
        body.replace('\n', "\r\n")
    );
    for (name, ctype, data) in attachments {
        let _ = write!(
            s,
            "--{boundary}\r\nContent-Type: {ctype}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        );
        let b64 = base64_encode(data);
        for chunk in b64.as_bytes().chunks(76) {
            s.push_str(std::str::from_utf8(chunk).unwrap_or(""));
            s.push_str("\r\n");
        }
    }
    let _ = write!(s, "--{boundary}--\r\n");
    s.into_bytes()
}

fn base64_encode(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_body_and_attachments() {
        let raw = write_simple(
            "Housing Officer <officer@landlord.example>",
            "Mary O'Brien <mary.obrien@example.com>",
            "Your rent account",
            "Dear Mrs O'Brien,\n\nYour date of birth 01/05/1970 is on file.",
            &[("statement.txt", "text/plain", b"Balance: 0")],
        );
        let e = eml(&raw).unwrap();
        let texts: Vec<(&str, &str)> = e
            .text
            .iter()
            .map(|b| (b.loc.as_str(), b.text.as_str()))
            .collect();
        assert!(texts.contains(&("headers", "To: Mary O'Brien <mary.obrien@example.com>")));
        assert!(
            texts.contains(&("body line 3", "Your date of birth 01/05/1970 is on file.")),
            "{texts:?}"
        );
        assert_eq!(
            e.children,
            vec![("statement.txt".to_string(), b"Balance: 0".to_vec())]
        );
    }

    #[test]
    fn mbox_messages_are_numbered() {
        let mut mb = Vec::new();
        for who in ["a@x.example", "b@x.example"] {
            mb.extend_from_slice(format!("From {who} Tue Mar  5 09:12:00 2024\n").as_bytes());
            mb.extend_from_slice(&write_simple(who, "c@x.example", "hi", "text", &[]));
            mb.extend_from_slice(b"\n");
        }
        let e = mbox(&mb).unwrap();
        assert!(e.text.iter().any(|b| b.loc == "message 2, headers"));
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
        assert_eq!(base64_encode(b"M"), "TQ==");
    }
}
