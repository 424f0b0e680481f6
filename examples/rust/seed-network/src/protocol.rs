//! backcheck-protocol 1 over stdin and stdout, with Rust's standard library only.
//!
//! The program writes its handshake (version, layers, conventions), then answers
//! every `case ... end` block backcheck sends with `array` lines and `end`.
//! See docs/protocol.md in backcheck.

use std::io::{self, BufRead, Write};

/// A dense array: its shape and its values in row-major order.
#[derive(Clone, Debug)]
pub struct Array {
    pub shape: Vec<usize>,
    pub data: Vec<f64>,
}

/// One case: which layer, and its arrays by name (inputs, parameters, `dout`).
pub struct Case {
    pub id: String,
    pub layer: String,
    pub arrays: Vec<(String, Array)>,
}

impl Case {
    pub fn array(&self, name: &str) -> Result<&Array, String> {
        self.arrays
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a)
            .ok_or_else(|| format!("{} has no array {}", self.id, name))
    }
}

/// What a layer answers: the output and gradients by name (`out`, `dx`, `dW`...).
pub type Reply = Result<Vec<(String, Array)>, String>;

fn parse_array(words: &[&str]) -> Result<(String, Array), String> {
    let bad = |what: &str| format!("bad array line: {}", what);
    let name = words.get(1).ok_or_else(|| bad("no name"))?.to_string();
    let ndim: usize = words.get(2).ok_or_else(|| bad("no ndim"))?.parse().map_err(|_| bad("ndim"))?;
    let mut shape = Vec::with_capacity(ndim);
    for word in words.iter().skip(3).take(ndim) {
        shape.push(word.parse::<usize>().map_err(|_| bad("dimension"))?);
    }
    let mut data = Vec::new();
    for word in words.iter().skip(3 + ndim) {
        data.push(word.parse::<f64>().map_err(|_| bad("value"))?);
    }
    Ok((name, Array { shape, data }))
}

fn write_array(out: &mut impl Write, name: &str, array: &Array) -> io::Result<()> {
    write!(out, "array {} {}", name, array.shape.len())?;
    for d in &array.shape {
        write!(out, " {}", d)?;
    }
    for v in &array.data {
        write!(out, " {:e}", v)?;
    }
    writeln!(out)
}

/// Declare `layers` (each "Name key=value ..."), then answer cases until `quit`.
pub fn serve(layers: &[&str], answer: impl Fn(&Case) -> Reply) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "backcheck-protocol 1")?;
    for layer in layers {
        writeln!(out, "layer {}", layer)?;
    }
    writeln!(out, "ready")?;
    out.flush()?;
    let stdin = io::stdin();
    let mut case: Option<Case> = None;
    for line in stdin.lock().lines() {
        let line = line?;
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().copied() {
            Some("quit") => break,
            Some("case") => {
                let word = |i: usize| words.get(i).unwrap_or(&"").to_string();
                case = Some(Case { id: word(1), layer: word(2), arrays: Vec::new() });
            }
            Some("array") => {
                if let (Some(c), Ok(named)) = (case.as_mut(), parse_array(&words)) {
                    c.arrays.push(named);
                }
            }
            Some("end") => {
                if let Some(c) = case.take() {
                    match answer(&c) {
                        Ok(arrays) => {
                            for (name, array) in &arrays {
                                write_array(&mut out, name, array)?;
                            }
                        }
                        Err(message) => writeln!(out, "error exception {}", message)?,
                    }
                    writeln!(out, "end")?;
                    out.flush()?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}
