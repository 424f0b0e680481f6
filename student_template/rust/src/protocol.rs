//! backcheck-protocol 1 over stdin and stdout, with Rust's standard library only.
//! You do not need to change this file; write your layers in main.rs.
//!
//! The program writes its handshake (version, layers, conventions), then answers
//! every `case ... end` block backcheck sends with `array` lines and `end`.
//! The format is in backcheck's docs/protocol.md.

// Helpers for your layers: unused until you write them.
#![allow(dead_code)]

use std::io::{self, BufRead, Write};

/// A dense array: its shape and its values in row-major order.
#[derive(Clone, Debug)]
pub struct Array {
    pub shape: Vec<usize>,
    pub data: Vec<f64>,
}

impl Array {
    pub fn zeros(shape: &[usize]) -> Array {
        Array { shape: shape.to_vec(), data: vec![0.0; shape.iter().product()] }
    }
}

/// One case: the layer, its hyper-parameters and its arrays by name
/// (inputs, parameters, and `dout`, the gradient of the loss with respect to the output).
pub struct Case {
    pub id: String,
    pub layer: String,
    pub config: Vec<(String, Vec<f64>)>,
    pub arrays: Vec<(String, Array)>,
}

impl Case {
    pub fn array(&self, name: &str) -> Result<&Array, Failure> {
        self.arrays.iter().find(|(n, _)| n == name).map(|(_, a)| a)
            .ok_or_else(|| Failure::exception(format!("{} has no array {}", self.id, name)))
    }

    pub fn config(&self, name: &str) -> Result<&[f64], Failure> {
        self.config.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
            .ok_or_else(|| Failure::exception(format!("{} has no config {}", self.id, name)))
    }
}

/// Why a layer gave no answer: `not-implemented` (not written yet) or `exception`.
pub struct Failure {
    pub kind: &'static str,
    pub message: String,
}

impl Failure {
    pub fn not_implemented(what: &str) -> Failure {
        Failure { kind: "not-implemented", message: format!("{} is not written yet", what) }
    }

    pub fn exception(message: String) -> Failure {
        Failure { kind: "exception", message }
    }
}

/// What a layer answers: the output and gradients by name (`out`, `dx`, `dW`...).
pub type Reply = Result<Vec<(&'static str, Array)>, Failure>;

fn numbers<T: std::str::FromStr>(words: &[&str]) -> Option<Vec<T>> {
    words.iter().map(|w| w.parse().ok()).collect()
}

fn parse_array(words: &[&str]) -> Option<(String, Array)> {
    let ndim: usize = words.get(2)?.parse().ok()?;
    let shape = numbers(words.get(3..3 + ndim)?)?;
    let data = numbers(words.get(3 + ndim..)?)?;
    Some((words[1].to_string(), Array { shape, data }))
}

fn write_array(out: &mut impl Write, name: &str, array: &Array) -> io::Result<()> {
    write!(out, "array {} {}", name, array.shape.len())?;
    for d in &array.shape {
        write!(out, " {}", d)?;
    }
    for v in &array.data {
        write!(out, " {:e}", v)?; // shortest form that reads back exactly
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
    let mut case: Option<Case> = None;
    for line in io::stdin().lock().lines() {
        let line = line?;
        let words: Vec<&str> = line.split_whitespace().collect();
        match (words.first().copied(), case.as_mut()) {
            (Some("quit"), _) => break,
            (Some("case"), _) => {
                let word = |i: usize| words.get(i).unwrap_or(&"").to_string();
                case = Some(Case { id: word(1), layer: word(2), config: vec![], arrays: vec![] });
            }
            (Some("config"), Some(c)) if words.len() > 1 => {
                c.config.push((words[1].to_string(), numbers(&words[2..]).unwrap_or_default()));
            }
            (Some("array"), Some(c)) => {
                if let Some(named) = parse_array(&words) {
                    c.arrays.push(named);
                }
            }
            (Some("end"), Some(_)) => {
                let c = case.take().unwrap();
                match answer(&c) {
                    Ok(arrays) => {
                        for (name, array) in &arrays {
                            write_array(&mut out, name, array)?;
                        }
                    }
                    Err(failure) => writeln!(out, "error {} {}", failure.kind, failure.message)?,
                }
                writeln!(out, "end")?;
                out.flush()?;
            }
            _ => {}
        }
    }
    Ok(())
}
