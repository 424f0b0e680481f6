// A program that does not compile: backcheck reports the compiler's first error.
#include <cstdio>

int main() {
    std::printf("backcheck-protocol 1\n")
    return undeclared;
}
