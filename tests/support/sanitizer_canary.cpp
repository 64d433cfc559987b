// SPDX-License-Identifier: MIT
// Deliberate bugs, built only in sanitizer builds: the tests pass only if LeakSanitizer and
// UndefinedBehaviorSanitizer report them, which proves the sanitizer runtime is really active.
#include <climits>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "leak") == 0) {
    int* p = new int[4];  // never deleted
    p[0] = argc;
    std::printf("%d\n", p[0]);
    p = nullptr;
    return 0;
  }
  if (argc > 1 && std::strcmp(argv[1], "overflow") == 0) {
    int x = INT_MAX - 1;
    x += argc;  // argc is 2: signed overflow
    std::printf("%d\n", x);
    return 0;
  }
  return 1;
}
