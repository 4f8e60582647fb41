// Placeholder until the in-process use-case tests land.
#include <gtest/gtest.h>
TEST(OkrAppTest, Placeholder) {}
