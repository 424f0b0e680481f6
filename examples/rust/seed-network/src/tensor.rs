//! Just enough of a tensor for the seed's network, in the spirit of Candle's API
//! (`matmul`, `transpose`, `broadcast_as`, `mean(0)`...), with the standard library only.

use crate::protocol::Array;

#[derive(Clone, Debug)]
pub struct Tensor {
    pub shape: Vec<usize>,
    pub data: Vec<f64>,
}

impl Tensor {
    pub fn new(shape: &[usize], data: Vec<f64>) -> Self {
        assert_eq!(shape.iter().product::<usize>(), data.len(), "shape does not fit the data");
        Tensor { shape: shape.to_vec(), data }
    }

    pub fn from_array(array: &Array) -> Self {
        Tensor::new(&array.shape, array.data.clone())
    }

    pub fn to_array(&self) -> Array {
        Array { shape: self.shape.clone(), data: self.data.clone() }
    }

    pub fn dim(&self, axis: usize) -> usize {
        self.shape[axis]
    }

    fn rows_cols(&self) -> (usize, usize) {
        match self.shape.as_slice() {
            [r, c] => (*r, *c),
            [c] => (1, *c),
            _ => panic!("expected a matrix, got shape {:?}", self.shape),
        }
    }

    pub fn matmul(&self, other: &Tensor) -> Tensor {
        let (n, k) = self.rows_cols();
        let (k2, m) = other.rows_cols();
        assert_eq!(k, k2, "matmul of {:?} and {:?}", self.shape, other.shape);
        let mut data = vec![0.0; n * m];
        for i in 0..n {
            for j in 0..m {
                data[i * m + j] = (0..k).map(|p| self.data[i * k + p] * other.data[p * m + j]).sum();
            }
        }
        Tensor::new(&[n, m], data)
    }

    /// The transpose of a matrix (Candle's `transpose(0, 1)`).
    pub fn transpose(&self) -> Tensor {
        let (r, c) = self.rows_cols();
        let mut data = vec![0.0; r * c];
        for i in 0..r {
            for j in 0..c {
                data[j * r + i] = self.data[i * c + j];
            }
        }
        Tensor::new(&[c, r], data)
    }

    /// Repeat a (1, M), (M, 1) or (M,) tensor as (N, M) by reading its values in order.
    pub fn broadcast_as(&self, rows: usize, cols: usize) -> Tensor {
        assert_eq!(self.data.len(), cols, "cannot broadcast {:?} to ({}, {})", self.shape, rows, cols);
        Tensor::new(&[rows, cols], (0..rows).flat_map(|_| self.data.clone()).collect())
    }

    fn zip(&self, other: &Tensor, f: impl Fn(f64, f64) -> f64) -> Tensor {
        assert_eq!(self.shape, other.shape, "elementwise op on {:?} and {:?}", self.shape, other.shape);
        Tensor::new(&self.shape, self.data.iter().zip(&other.data).map(|(a, b)| f(*a, *b)).collect())
    }

    fn map(&self, f: impl Fn(f64) -> f64) -> Tensor {
        Tensor::new(&self.shape, self.data.iter().map(|v| f(*v)).collect())
    }

    pub fn add(&self, other: &Tensor) -> Tensor {
        self.zip(other, |a, b| a + b)
    }

    pub fn sub(&self, other: &Tensor) -> Tensor {
        self.zip(other, |a, b| a - b)
    }

    pub fn mul(&self, other: &Tensor) -> Tensor {
        self.zip(other, |a, b| a * b)
    }

    pub fn div_scalar(&self, s: f64) -> Tensor {
        self.map(|v| v / s)
    }

    pub fn relu(&self) -> Tensor {
        self.map(|v| v.max(0.0))
    }

    /// 1 where the input was positive, 0 elsewhere: ReLU's derivative.
    pub fn relu_backward(&self) -> Tensor {
        self.map(|v| if v > 0.0 { 1.0 } else { 0.0 })
    }

    pub fn sqr(&self) -> Tensor {
        self.map(|v| v * v)
    }

    pub fn mean_all(&self) -> Tensor {
        Tensor::new(&[], vec![self.data.iter().sum::<f64>() / self.data.len() as f64])
    }

    /// The mean over the rows: (N, M) -> (M,), as Candle's `mean(0)`.
    pub fn mean(&self) -> Tensor {
        let (r, c) = self.rows_cols();
        let sums = (0..c).map(|j| (0..r).map(|i| self.data[i * c + j]).sum::<f64>() / r as f64);
        Tensor::new(&[c], sums.collect())
    }
}
