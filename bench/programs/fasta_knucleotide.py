# fasta_knucleotide: the Benchmarks Game fasta and k-nucleotide in one program: a 200,000-base
# DNA sequence drawn from the homo sapiens base frequencies with the benchmark's linear congruential
# generator, built in 60-character lines, then every k-mer for k = 1, 2, 3, 4, 6, 12, 18 counted in
# a dict; result: the distinct k-mers per k, the base counts and the counts of the benchmark's
# GGT.. fragments. Twin of fasta_knucleotide.ruff.
import time

IM = 139968
IA = 3877
IC = 29573


def make_sequence(length, seed):
    bases = ["A", "C", "G", "T"]
    probs = [0.3029549426680, 0.1979883004921, 0.1975473066391, 0.3015094502008]
    cumulative = []
    acc = 0.0
    for p in probs:
        acc = acc + p
        cumulative.append(acc)
    lines = []
    line = ""
    i = 0
    while i < length:
        seed = (seed * IA + IC) % IM
        r = 1.0 * seed / IM
        k = 0
        while k < 3 and r >= cumulative[k]:
            k = k + 1
        line = line + bases[k]
        if len(line) == 60:
            lines.append(line)
            line = ""
        i = i + 1
    lines.append(line)
    return "".join(lines)


def count_kmers(seq, k):
    counts = {}
    last = len(seq) - k
    i = 0
    while i <= last:
        key = seq[i:i + k]
        counts[key] = counts.get(key, 0) + 1
        i = i + 1
    return counts


def fasta_knucleotide(length):
    seq = make_sequence(length, 42)
    ones = count_kmers(seq, 1)
    distinct = [str(len(ones)), str(len(count_kmers(seq, 2)))]
    bases = []
    for b in ["A", "C", "G", "T"]:
        bases.append(b + ":" + str(ones.get(b, 0)))
    frags = []
    for frag in ["GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"]:
        counts = count_kmers(seq, len(frag))
        distinct.append(str(len(counts)))
        frags.append(frag + ":" + str(counts.get(frag, 0)))
    return " ".join(distinct) + " | " + " ".join(bases) + " | " + " ".join(frags)


# Warm-up, untimed: lets a JIT compile the work before the timed run (same call, small input).
bench_warm = fasta_knucleotide(2000)
bench_t0 = time.perf_counter()
bench_out = fasta_knucleotide(200000)
bench_t1 = time.perf_counter()
print("result:", bench_out)
print("work_ms:", (bench_t1 - bench_t0) * 1000.0)
