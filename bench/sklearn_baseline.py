#!/usr/bin/python3
"""scikit-learn baseline for the callsight benchmark (run with /usr/bin/python3).

Counts phrase occurrences per file with
    CountVectorizer(vocabulary=phrases, ngram_range=(1, max words in a phrase), lowercase=True)
over every file under the given paths (walked in sorted order), in batches so
that memory stays bounded, and prints one JSON line:
    {"tool": "sklearn", "files": ..., "bytes": ..., "phrases": ..., "total_matches": ...,
     "seconds": ..., "mb_per_s": ..., ...}

Tokens are `(?u)\\b\\w+\\b` instead of scikit-learn's default `\\b\\w\\w+\\b`, which
drops one-letter words, so that phrases such as "speak to a manager" can match
at all; the phrases go through the same analyzer (so "can't" becomes "can t").
"seconds" covers walking, reading, decoding and counting (not the Python and
scikit-learn start-up, which bench/run.sh includes in its own wall time).

usage: /usr/bin/python3 bench/sklearn_baseline.py --phrases FILE [--batch N]
                                                  [--counts-out CSV] PATH...
"""

import argparse
import json
import os
import sys
import time


def walk(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    yield os.path.join(root, f)
        else:
            yield p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phrases", required=True, help="phrase list, one per line")
    ap.add_argument("--batch", type=int, default=2000, help="files per batch (default 2000)")
    ap.add_argument("--counts-out", help="write phrase,count CSV of the totals")
    ap.add_argument("paths", nargs="+", help="files or directories")
    args = ap.parse_args()

    import numpy as np
    import sklearn
    from sklearn.feature_extraction.text import CountVectorizer

    token_pattern = r"(?u)\b\w+\b"
    analyze = CountVectorizer(lowercase=True, token_pattern=token_pattern).build_analyzer()
    vocab, seen = [], set()
    with open(args.phrases, encoding="utf-8") as f:
        for line in f:
            norm = " ".join(analyze(line))
            if norm and norm not in seen:
                seen.add(norm)
                vocab.append(norm)
    if not vocab:
        sys.exit("sklearn_baseline.py: no phrases in %s" % args.phrases)
    max_words = max(len(v.split()) for v in vocab)
    vec = CountVectorizer(vocabulary=vocab, ngram_range=(1, max_words), lowercase=True,
                          token_pattern=token_pattern)

    t0 = time.perf_counter()
    totals = np.zeros(len(vocab), dtype=np.int64)
    files = nbytes = 0
    batch = []

    def flush():
        if batch:
            totals[:] += np.asarray(vec.transform(batch).sum(axis=0)).ravel()
            batch.clear()

    for path in walk(args.paths):
        with open(path, "rb") as f:
            data = f.read()
        nbytes += len(data)
        files += 1
        batch.append(data.decode("utf-8", errors="replace"))
        if len(batch) >= args.batch:
            flush()
    flush()
    seconds = time.perf_counter() - t0

    if args.counts_out:
        with open(args.counts_out, "w", encoding="utf-8") as f:
            f.write("phrase,count\n")
            for v, c in zip(vocab, totals):
                f.write("%s,%d\n" % (v, c))
    print(json.dumps({
        "tool": "sklearn",
        "sklearn_version": sklearn.__version__,
        "files": files,
        "bytes": nbytes,
        "phrases": len(vocab),
        "max_words": max_words,
        "total_matches": int(totals.sum()),
        "seconds": round(seconds, 4),
        "mb_per_s": round(nbytes / 1e6 / seconds, 3) if seconds > 0 else None,
    }))


if __name__ == "__main__":
    main()
