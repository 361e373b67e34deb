package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// samples holds every value a benchmark reported for a unit, one per -count run.
type samples map[string]map[string][]float64 // benchmark name → unit → values

// benchLine is "BenchmarkX/sub-2   123   456 ns/op   1.0 dbreads/op ...".
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)

func readBench(path string) (samples, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := samples{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		fields := strings.Fields(m[2])
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			if out[m[1]] == nil {
				out[m[1]] = map[string][]float64{}
			}
			out[m[1]][fields[i+1]] = append(out[m[1]][fields[i+1]], v)
		}
	}
	return out, sc.Err()
}

// stat is a median with its spread, as benchstat reports it.
type stat struct {
	median float64
	spread float64 // largest distance from the median, as a fraction of it
	n      int
	ok     bool
}

func statOf(vs []float64) stat {
	if len(vs) == 0 {
		return stat{}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	sp := 0.0
	if med != 0 {
		sp = math.Max(med-s[0], s[len(s)-1]-med) / math.Abs(med)
	}
	return stat{median: med, spread: sp, n: len(s), ok: true}
}

func (s samples) get(name, unit string) stat { return statOf(s[name][unit]) }

func (st stat) String() string {
	if !st.ok {
		return "n/a"
	}
	return fmt.Sprintf("%g", st.median)
}
