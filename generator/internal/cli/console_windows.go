package cli

import "syscall"

// utf8Console makes the Windows console show the program's UTF-8 output
// (Kazakh and Russian messages) instead of the console's legacy code page.
func utf8Console() {
	const cpUTF8 = 65001
	kernel32 := syscall.NewLazyDLL("kernel32.dll")
	for _, name := range []string{"SetConsoleOutputCP", "SetConsoleCP"} {
		if p := kernel32.NewProc(name); p.Find() == nil {
			_, _, _ = p.Call(cpUTF8) // without a console there is nothing to set
		}
	}
}
