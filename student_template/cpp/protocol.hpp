// backcheck-protocol 1 over stdin and stdout, with the C++17 standard library only.
// You do not need to change this file; write your layers in layers.cpp.
// The format is in backcheck's docs/protocol.md.
#pragma once

#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

// A dense array: its shape and its values in row-major order.
struct Array {
    std::vector<size_t> shape;
    std::vector<double> data;
};

using Arrays = std::map<std::string, Array>;

// One case: the layer, its hyper-parameters and its arrays by name (inputs,
// parameters, and dout, the gradient of the loss with respect to the output).
struct Case {
    std::string id, layer;
    std::map<std::string, std::vector<double>> config;
    Arrays arrays;

    const Array& array(const std::string& name) const {
        auto found = arrays.find(name);
        if (found == arrays.end()) throw std::runtime_error(id + " has no array " + name);
        return found->second;
    }
};

// Thrown by a layer that is not written yet.
struct NotImplemented : std::runtime_error {
    explicit NotImplemented(const std::string& layer) : std::runtime_error(layer + " is not written yet") {}
};

inline Array read_array(std::istringstream& words, std::string& name) {
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
        v = std::stod(word);  // reads nan and inf too
    }
    return array;
}

inline void write_array(const std::string& name, const Array& array) {
    std::printf("array %s %zu", name.c_str(), array.shape.size());
    for (size_t d : array.shape) std::printf(" %zu", d);
    for (double v : array.data) std::printf(" %.17g", v);  // reads back exactly
    std::printf("\n");
}

// Declare every layer (with its conventions, if any), then answer cases until quit.
inline int serve(const std::map<std::string, Arrays (*)(const Case&)>& layers,
                 const std::map<std::string, std::string>& conventions) {
    std::printf("backcheck-protocol 1\n");
    for (const auto& entry : layers) {
        auto declared = conventions.find(entry.first);
        std::printf("layer %s %s\n", entry.first.c_str(),
                    declared == conventions.end() ? "" : declared->second.c_str());
    }
    std::printf("ready\n");
    std::fflush(stdout);
    std::string line;
    Case current;
    while (std::getline(std::cin, line)) {
        std::istringstream words(line);
        std::string tag;
        words >> tag;
        if (tag == "quit") break;
        if (tag == "case") {
            current = Case{};
            words >> current.id >> current.layer;
        } else if (tag == "config") {
            std::string key;
            double value;
            words >> key;
            while (words >> value) current.config[key].push_back(value);
        } else if (tag == "array") {
            std::string name;
            Array array = read_array(words, name);
            current.arrays[name] = array;
        } else if (tag == "end") {
            try {
                auto found = layers.find(current.layer);
                if (found == layers.end()) throw std::runtime_error(current.layer + " is not a layer here");
                for (const auto& [name, array] : found->second(current)) write_array(name, array);
            } catch (const NotImplemented& e) {
                std::printf("error not-implemented %s\n", e.what());
            } catch (const std::exception& e) {
                std::printf("error exception %s\n", e.what());
            }
            std::printf("end\n");
            std::fflush(stdout);
        }
    }
    return 0;
}
