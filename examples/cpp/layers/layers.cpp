// Linear, ReLU and MSELoss in C++17 (the standard library only), checked by
// backcheck through backcheck-protocol 1 (see docs/protocol.md).
//
// This library has conventions of its own, and its handshake declares them, so
// backcheck converts them exactly: Linear stores W as (out, in), and MSELoss's
// backward returns the gradient of the *sum* of squares (forward is the mean).
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

struct Array {
    std::vector<size_t> shape;
    std::vector<double> data;
};

using Arrays = std::map<std::string, Array>;

static const Array& get(const Arrays& arrays, const std::string& name) {
    auto found = arrays.find(name);
    if (found == arrays.end()) throw std::runtime_error("no array " + name);
    return found->second;
}

// out = x W^T + b with x (N, in), W (out, in), b (out,).
static Arrays linear(const Arrays& a) {
    const Array &x = get(a, "x"), &W = get(a, "W"), &b = get(a, "b"), &dout = get(a, "dout");
    size_t n = x.shape[0], in = x.shape[1], m = W.shape[0];
    Array out{{n, m}, std::vector<double>(n * m)}, dx{{n, in}, std::vector<double>(n * in)};
    Array dW{{m, in}, std::vector<double>(m * in)}, db{{m}, std::vector<double>(m)};
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < m; ++j) {
            double sum = b.data[j];
            for (size_t k = 0; k < in; ++k) sum += x.data[i * in + k] * W.data[j * in + k];
            out.data[i * m + j] = sum;
            double g = dout.data[i * m + j];
            db.data[j] += g;
            for (size_t k = 0; k < in; ++k) {
                dx.data[i * in + k] += g * W.data[j * in + k];
                dW.data[j * in + k] += g * x.data[i * in + k];
            }
        }
    return {{"out", out}, {"dx", dx}, {"dW", dW}, {"db", db}};
}

static Arrays relu(const Arrays& a) {
    const Array &x = get(a, "x"), &dout = get(a, "dout");
    Array out = x, dx = x;
    for (size_t i = 0; i < x.data.size(); ++i) {
        out.data[i] = x.data[i] > 0 ? x.data[i] : 0.0;
        dx.data[i] = x.data[i] > 0 ? dout.data[i] : 0.0;
    }
    return {{"out", out}, {"dx", dx}};
}

// Forward: mean((x - t)^2). Backward: d/dx of sum((x - t)^2), as declared.
static Arrays mse_loss(const Arrays& a) {
    const Array &x = get(a, "x"), &t = get(a, "target"), &dout = get(a, "dout");
    Array loss{{}, {0.0}}, dx = x;
    for (size_t i = 0; i < x.data.size(); ++i) {
        double d = x.data[i] - t.data[i];
        loss.data[0] += d * d / x.data.size();
        dx.data[i] = 2.0 * d * dout.data[0];
    }
    return {{"out", loss}, {"dx", dx}};
}

static const std::map<std::string, std::pair<std::string, Arrays (*)(const Arrays&)>> LAYERS = {
    {"Linear", {"weight=out-in", linear}},
    {"ReLU", {"", relu}},
    {"MSELoss", {"loss_grad=sum", mse_loss}},
};

static Array parse_array(std::istringstream& words, std::string& name) {
    Array array;
    size_t ndim = 0, count = 1;
    words >> name >> ndim;
    array.shape.resize(ndim);
    for (auto& d : array.shape) {
        words >> d;
        count *= d;
    }
    array.data.resize(count);
    for (auto& v : array.data) {
        std::string word;
        words >> word;
        v = std::stod(word);  // stod reads nan and inf too
    }
    return array;
}

static void print_array(const std::string& name, const Array& array) {
    std::printf("array %s %zu", name.c_str(), array.shape.size());
    for (size_t d : array.shape) std::printf(" %zu", d);
    for (double v : array.data) std::printf(" %.17g", v);
    std::printf("\n");
}

int main() {
    std::printf("backcheck-protocol 1\n");
    for (const auto& [name, layer] : LAYERS) std::printf("layer %s %s\n", name.c_str(), layer.first.c_str());
    std::printf("ready\n");
    std::fflush(stdout);
    std::string line, layer;
    Arrays arrays;
    while (std::getline(std::cin, line)) {
        std::istringstream words(line);
        std::string tag;
        words >> tag;
        if (tag == "quit") break;
        if (tag == "case") {
            std::string id;
            words >> id >> layer;
            arrays.clear();
        } else if (tag == "array") {
            std::string name;
            Array array = parse_array(words, name);
            arrays[name] = array;
        } else if (tag == "end") {
            auto found = LAYERS.find(layer);
            try {
                if (found == LAYERS.end()) throw std::runtime_error(layer + " is not written");
                for (const auto& [name, array] : found->second.second(arrays)) print_array(name, array);
            } catch (const std::exception& e) {
                std::printf("error exception %s\n", e.what());
            }
            std::printf("end\n");
            std::fflush(stdout);
        }
    }
    return 0;
}
