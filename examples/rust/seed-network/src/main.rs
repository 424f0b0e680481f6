//! The seed's 1-2-1 ReLU network for y = 2x + 1, with its backward exactly as the
//! chapter wrote it, graded by backcheck through backcheck-protocol.
//!
//! W is stored (out, in), biases as columns (2, 1) and (1, 1), the batch as rows
//! (N, 1): the handshake declares all three. Two things in `backward` are as the
//! seed has them, and backcheck reports both (backcheck's README, "Other languages").

mod protocol;
mod tensor;

use protocol::{Case, Reply};
use tensor::Tensor;

struct SimpleNN {
    w1: Tensor,
    b1: Tensor,
    w2: Tensor,
    b2: Tensor,
}

impl SimpleNN {
    fn forward(&self, x: &Tensor) -> (Tensor, Tensor, Tensor, Tensor) {
        // Forward pass, saving intermediate values for backpropagation
        let n = x.dim(0);
        let z1 = x.matmul(&self.w1.transpose()).add(&self.b1.broadcast_as(n, 2));
        let a1 = z1.relu();
        let z2 = a1.matmul(&self.w2.transpose()).add(&self.b2.broadcast_as(n, 1));
        let y_pred = z2.clone(); // Linear activation for the output layer
        (z1, a1, z2, y_pred)
    }

    fn backward(&self, x: &Tensor, y: &Tensor, z1: &Tensor, a1: &Tensor, y_pred: &Tensor)
                -> (Tensor, Tensor, Tensor, Tensor) {
        let batch_size = x.dim(0) as f64;

        // Gradients of the output layer
        let dy = y_pred.sub(y); // dL/dy_pred, as the seed writes it
        let dw2 = dy.transpose().matmul(a1).div_scalar(batch_size);
        let db2 = dy.mean();

        // Gradients of the hidden layer
        let da1 = dy.matmul(&self.w2);
        let dz1 = da1.mul(&z1.relu_backward());
        let dw1 = dz1.transpose().matmul(x).div_scalar(batch_size);
        let db1 = dz1.mean();

        (dw1, db1, dw2, db2)
    }
}

/// One case of backcheck's RegressionMLP: the loss of the train loop, and its gradients.
fn regression_mlp(case: &Case) -> Reply {
    let get = |name: &str| case.array(name).map(Tensor::from_array);
    let model = SimpleNN { w1: get("W1")?, b1: get("b1")?, w2: get("W2")?, b2: get("b2")? };
    let (x, y) = (get("x")?, get("target")?);
    let (z1, a1, _, y_pred) = model.forward(&x);
    let loss = y_pred.sub(&y).sqr().mean_all();
    let (dw1, db1, dw2, db2) = model.backward(&x, &y, &z1, &a1, &y_pred);
    Ok(vec![
        ("out".to_string(), loss.to_array()),
        ("dW1".to_string(), dw1.to_array()),
        ("db1".to_string(), db1.to_array()),
        ("dW2".to_string(), dw2.to_array()),
        ("db2".to_string(), db2.to_array()),
    ])
}

fn main() -> std::io::Result<()> {
    protocol::serve(&["RegressionMLP weight=out-in bias=column batch=rows"], |case| {
        match case.layer.as_str() {
            "RegressionMLP" => regression_mlp(case),
            other => Err(format!("{} is not implemented", other)),
        }
    })
}
