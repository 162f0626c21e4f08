// Tests for read_file's stop flag: a FIFO with no writer (or a writer that
// never writes) must not hold up a stop request, and data still flows when no
// stop is asked for.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "callsight/ingest.hpp"

namespace callsight {
namespace {

namespace fs = std::filesystem;

class ReadStop : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = fs::path(::testing::TempDir()) / ("callsight-read-stop-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    m_fifo = (m_dir / "fifo").string();
    ASSERT_EQ(::mkfifo(m_fifo.c_str(), 0600), 0);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  fs::path m_dir;
  std::string m_fifo;
};

TEST_F(ReadStop, FifoWithoutWriterEndsOnStop) {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  const auto started = std::chrono::steady_clock::now();
  const ReadResult result = read_file(m_fifo, 1 << 20, &stop);
  stopper.join();
  EXPECT_EQ(result.error, "interrupted");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(ReadStop, SilentWriterEndsOnStop) {
  std::atomic<bool> stop{false};
  std::atomic<bool> done{false};
  std::thread writer([&] {
    std::ofstream out(m_fifo); // connected, silent, and open until the read is over
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  const ReadResult result = read_file(m_fifo, 1 << 20, &stop);
  done = true;
  stopper.join();
  writer.join();
  EXPECT_EQ(result.error, "interrupted");
}

TEST_F(ReadStop, FifoDataIsReadWhenNotStopped) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150)); // the reader waits first
    std::ofstream(m_fifo) << "Customer: how much\n";
  });
  const ReadResult result = read_file(m_fifo, 1 << 20, &stop);
  writer.join();
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.bytes, "Customer: how much\n");
}

} // namespace
} // namespace callsight
