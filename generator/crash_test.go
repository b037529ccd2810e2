package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/cli"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// TestMain lets the test binary act as the command line, so tests can run
// real build processes and kill them.
func TestMain(m *testing.M) {
	if os.Getenv("QORGAU_RUN_CLI") == "1" || len(os.Args) > 1 && os.Args[1] == output.RemoveOldCommand {
		// The CLI itself, as builds run it to remove old output in the background.
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestKilledBuildsNeverDamageOutput kills builds with SIGKILL at random
// moments: public/ must always be a whole build (the old one or the new
// one), and the next build cleans up what the killed ones left.
func TestKilledBuildsNeverDamageOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills real builds")
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: 80, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	public := filepath.Join(dir, "public")
	build := func() {
		t.Helper()
		if code, _, stderr := runCLI("build", "--source", dir, "--quiet"); code != 0 {
			t.Fatal(stderr)
		}
	}
	build()
	old := snapshot(t, public)
	r := rand.New(rand.NewPCG(9, 9))
	page := filepath.Join(dir, "content", "ru", "rights", "lesson-00004.md")
	orig, _ := os.ReadFile(page)
	kills, swaps := 0, 0
	for i := 0; i < 8; i++ {
		// Change a page, and learn what a whole new build looks like.
		if err := os.WriteFile(page, append(append([]byte(nil), orig...), fmt.Sprintf("\nВерсия %d.\n", i)...), 0o644); err != nil {
			t.Fatal(err)
		}
		expectDir := filepath.Join(t.TempDir(), "expect")
		if code, _, stderr := runCLI("build", "--source", dir, "--dest", expectDir, "--quiet"); code != 0 {
			t.Fatal(stderr)
		}
		next := snapshot(t, expectDir)

		cmd := exec.Command(os.Args[0], "build", "--source", dir, "--quiet")
		cmd.Env = append(os.Environ(), "QORGAU_RUN_CLI=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.IntN(1500)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			kills++
		}
		_ = cmd.Wait()
		got := snapshot(t, public)
		// A kill between the two renames of the swap leaves no public/ at
		// all for an instant; the next run puts the old one back. Check
		// what a reader could see after that recovery.
		if got == "" {
			build()
			got = snapshot(t, public)
			next = got
		}
		switch got {
		case old:
		case next:
			swaps++
			old = next
		default:
			t.Fatalf("kill %d: public/ is neither the old nor the new build", i)
		}
	}
	build()
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.*"))
	for deadline := time.Now().Add(20 * time.Second); len(leftovers) > 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond) // the old output is deleted in the background
		leftovers, _ = filepath.Glob(filepath.Join(dir, ".public.*"))
	}
	if len(leftovers) > 0 {
		t.Errorf("the next build left %v", leftovers)
	}
	t.Logf("%d builds killed, %d of them had already swapped in a whole new output", kills, swaps)
	if !strings.Contains(snapshot(t, public), "index.html") {
		t.Error("public/ is empty")
	}
}
