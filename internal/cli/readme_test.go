package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// updateReadme rewrites the output of every example in README.md from a real
// run: go test ./internal/cli -run TestREADME -update-readme
var updateReadme = flag.Bool("update-readme", false, "rewrite the output of every example in README.md")

// readmeUnchecked are the commands an example may show but this test cannot
// run, by the words they start with, and why.
var readmeUnchecked = map[string]string{
	"capscore serve": "runs a server until it is stopped; internal/server and serve_test.go test it",
	"capscore docs":  "writes a folder of pages; docs_test.go checks every page against --help",
}

// readmeLinks are the parts of the repository an example may read; the
// examples run in a temporary folder that links to them, so their paths
// read as from the repository root and nothing is written there.
var readmeLinks = []string{"assessments", "internal", "rubrics", "schemas", "testdata"}

var (
	readmeFence = regexp.MustCompile("^ *(```+)")
	readmeFile  = regexp.MustCompile(`^<!-- (file|edit): (\S+) -->$`)
)

// readmeExample is one command of an example block and the lines of the
// README that show its output, [from, to).
type readmeExample struct {
	line     int // of the command, from 1
	command  string
	from, to int
}

// TestREADME runs every example of README.md and compares what it prints
// with what the README shows, byte for byte.
//
// An example is a fenced block whose first line starts with "$ ": each "$ "
// line (continued by a trailing backslash) is a command and the lines up to
// the next one are its output, standard output then standard error. The
// command is capscore, after any NAME=value assignments, or cat, head or sed
// on a file; capscore's standard output may go through the pipes of
// readmePipe (head, sed -n, grep, jq), and 2>/dev/null drops its standard
// error. Commands run in process, in order, in
// one temporary folder that links to the repository's data (readmeLinks), so
// a file one example writes is there for the next.
//
// A fenced block right after "<!-- file: NAME -->" is written to NAME in
// that folder; after "<!-- edit: NAME -->", each entry it shows (a key
// under a top-level key) replaces the entry of that id in NAME, or is added.
// Files written so are removed at the next heading, so a config file shown
// in one section does not reach the next.
func TestREADME(t *testing.T) {
	_, self, _, _ := runtime.Caller(0)
	root, err := filepath.Abs(filepath.Join(filepath.Dir(self), "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")

	work := t.TempDir()
	for _, name := range readmeLinks {
		if err := os.Symlink(filepath.Join(root, name), filepath.Join(work, name)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)

	var examples []readmeExample
	outputs := map[int]string{} // example index -> what it printed
	var shown []string          // files written from the README, removed at the next heading
	pending, pendingKind, pendingLine := "", "", 0

	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := readmeFile.FindStringSubmatch(line); m != nil {
			pendingKind, pending, pendingLine = m[1], m[2], i+1
			continue
		}
		m := readmeFence.FindStringSubmatch(line)
		if m == nil && pending != "" && strings.TrimSpace(line) != "" {
			t.Fatalf("README.md:%d: the marker for %s must come right before its fenced block", pendingLine, pending)
		}
		if strings.HasPrefix(line, "#") {
			for _, name := range shown {
				os.Remove(name)
			}
			shown = nil
		}
		if m == nil {
			continue
		}
		// A fenced block: lines i+1 up to the closing fence.
		end := i + 1
		for end < len(lines) && !strings.HasPrefix(strings.TrimLeft(lines[end], " "), m[1]) {
			end++
		}
		if end == len(lines) {
			t.Fatalf("README.md:%d: fenced block never closed", i+1)
		}
		body := lines[i+1 : end]
		switch {
		case pending != "":
			content := strings.Join(body, "\n") + "\n"
			if pendingKind == "file" {
				if err := os.WriteFile(pending, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				shown = append(shown, pending)
			} else if err := readmeEdit(pending, content); err != nil {
				t.Fatalf("README.md:%d: %v", pendingLine, err)
			}
			pending = ""
		case len(body) > 0 && strings.HasPrefix(body[0], "$ "):
			for j := i + 1; j < end; {
				ex := readmeExample{line: j + 1}
				cmd := strings.TrimPrefix(lines[j], "$ ")
				for strings.HasSuffix(cmd, "\\") && j+1 < end {
					j++
					cmd = strings.TrimSuffix(cmd, "\\") + " " + strings.TrimSpace(lines[j])
				}
				ex.command = cmd
				j++
				ex.from = j
				for j < end && !strings.HasPrefix(lines[j], "$ ") {
					j++
				}
				ex.to = j
				got, err := readmeRun(t, cmd)
				if err != nil {
					t.Errorf("README.md:%d: %s: %v", ex.line, cmd, err)
				} else {
					outputs[len(examples)] = got
				}
				examples = append(examples, ex)
			}
		}
		i = end
	}
	if len(examples) == 0 {
		t.Fatal("README.md has no examples")
	}

	if *updateReadme {
		// Replace from the last example up, so earlier line numbers hold.
		for k := len(examples) - 1; k >= 0; k-- {
			got, ok := outputs[k]
			if !ok {
				continue
			}
			ex := examples[k]
			var repl []string
			if got != "" {
				repl = strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			}
			lines = append(lines[:ex.from], append(repl, lines[ex.to:]...)...)
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for k, ex := range examples {
		got, ok := outputs[k]
		if !ok {
			continue
		}
		want := ""
		if ex.to > ex.from {
			want = strings.Join(lines[ex.from:ex.to], "\n") + "\n"
		}
		if got != want {
			t.Errorf("README.md:%d: $ %s\nprints something else than the README shows (go test ./internal/cli -run TestREADME -update-readme rewrites it):\n%s",
				ex.line, ex.command, readmeDiff(want, got))
		}
	}
}

// readmeRun runs one command line of an example and returns what it printed:
// the standard output through the pipes, then the standard error.
func readmeRun(t *testing.T, cmd string) (string, error) {
	words, err := readmeWords(cmd)
	if err != nil {
		return "", err
	}
	stages := [][]string{nil}
	for _, w := range words {
		if w == "|" {
			stages = append(stages, nil)
			continue
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], w)
	}
	first := stages[0]
	env := map[string]string{}
	for len(first) > 0 && regexp.MustCompile(`^[A-Z_]+=`).MatchString(first[0]) {
		k, v, _ := strings.Cut(first[0], "=")
		env[k] = v
		first = first[1:]
	}
	if len(first) == 0 {
		return "", fmt.Errorf("no command")
	}
	for prefix, why := range readmeUnchecked {
		if strings.HasPrefix(strings.Join(first, " "), prefix) {
			return "", fmt.Errorf("cannot be checked here (%s): show it in a sh block without output", why)
		}
	}
	quiet := false // 2>/dev/null
	for k := 0; k < len(first); k++ {
		if first[k] == "2>/dev/null" {
			quiet = true
			first = append(first[:k:k], first[k+1:]...)
			k--
		}
	}
	var stdout, stderr string
	switch first[0] {
	case "capscore":
		r := runCLI(t, env, first[1:]...)
		stdout, stderr = r.stdout, r.stderr
	case "cat", "head", "sed":
		if len(env) > 0 || len(first) < 2 {
			return "", fmt.Errorf("%s: give it a file", first[0])
		}
		data, err := os.ReadFile(first[len(first)-1])
		if err != nil {
			return "", err
		}
		stdout = string(data)
		if first[0] != "cat" {
			stages = append([][]string{nil, first[:len(first)-1]}, stages[1:]...)
		}
	default:
		return "", fmt.Errorf("%s: not a command the README test runs (capscore, cat, head, sed)", first[0])
	}
	for _, stage := range stages[1:] {
		out, err := readmePipe(stage, stdout)
		if err != nil {
			return "", err
		}
		stdout = out
	}
	if quiet {
		stderr = ""
	}
	return stdout + stderr, nil
}

// readmeWords splits a command line as a shell would for the simple lines
// the README holds: words, 'single' and "double" quotes, | between commands
// and 2>/dev/null.
func readmeWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '|':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			words = append(words, "|")
		case c == '\'' || c == '"':
			end := strings.IndexByte(line[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unclosed quote")
			}
			cur.WriteString(line[i+1 : i+1+end])
			inWord = true
			i += end + 1
		case c == '2' && !inWord && strings.HasPrefix(line[i:], "2>/dev/null"):
			words = append(words, "2>/dev/null")
			i += len("2>/dev/null") - 1
		case c == '\\' || c == '$' || c == '>' || c == '<' || c == ';' || c == '&' || c == '`':
			return nil, fmt.Errorf("%q: the README test runs no shell syntax beyond quotes and |", c)
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// readmeEdit applies an edit block to a file: every entry of the block (a
// key indented two spaces under a top-level key, with the lines below it)
// replaces the entry of that id under the same top-level key in the file, or
// is added at the end of that section. The top-level key must exist.
func readmeEdit(name, block string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	file := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	edits := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	top := ""
	for i := 0; i < len(edits); {
		line := edits[i]
		if !strings.HasPrefix(line, " ") {
			top = strings.TrimSpace(line)
			i++
			continue
		}
		j := readmeEntryEnd(edits, i)
		entry, key := edits[i:j], strings.TrimSpace(line)
		i = j
		start := -1
		for k, l := range file {
			if l == top {
				start = k
				break
			}
		}
		if start < 0 {
			return fmt.Errorf("%s has no %s", name, top)
		}
		sectionEnd := start + 1
		for sectionEnd < len(file) && (file[sectionEnd] == "" || strings.HasPrefix(file[sectionEnd], " ")) {
			sectionEnd++
		}
		at, atEnd := -1, -1
		for k := start + 1; k < sectionEnd; k++ {
			if file[k] == "  "+key {
				at, atEnd = k, readmeEntryEnd(file, k)
				break
			}
		}
		if at < 0 {
			// Add it after the last non-blank line of the section.
			at = sectionEnd
			for at > start+1 && file[at-1] == "" {
				at--
			}
			atEnd = at
		}
		file = append(file[:at], append(append([]string{}, entry...), file[atEnd:]...)...)
	}
	return os.WriteFile(name, []byte(strings.Join(file, "\n")+"\n"), 0o644)
}

// readmeEntryEnd is the end of the entry starting at lines[i]: the first
// line after it indented no deeper than it, blank lines before that left out.
func readmeEntryEnd(lines []string, i int) int {
	indent := len(lines[i]) - len(strings.TrimLeft(lines[i], " "))
	j := i + 1
	for j < len(lines) {
		l := lines[j]
		if strings.TrimSpace(l) != "" && len(l)-len(strings.TrimLeft(l, " ")) <= indent {
			break
		}
		j++
	}
	for j > i+1 && strings.TrimSpace(lines[j-1]) == "" {
		j--
	}
	return j
}

// readmeDiff shows the first line where want and got part, with a little
// context around it.
func readmeDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	k := 0
	for k < len(w) && k < len(g) && w[k] == g[k] {
		k++
	}
	var b bytes.Buffer
	from := max(0, k-2)
	fmt.Fprintf(&b, "first difference at output line %d\n--- README ---\n", k+1)
	for _, l := range w[from:min(len(w), k+4)] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	b.WriteString("--- printed ---\n")
	for _, l := range g[from:min(len(g), k+4)] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	return b.String()
}
