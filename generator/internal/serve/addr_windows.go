package serve

import (
	"errors"
	"syscall"
)

// wsaeAddrInUse is Windows' "address already in use" (WSAEADDRINUSE).
const wsaeAddrInUse = syscall.Errno(10048)

// addrInUse reports whether listening failed because the port is taken.
func addrInUse(err error) bool {
	return errors.Is(err, wsaeAddrInUse) || errors.Is(err, syscall.EADDRINUSE)
}
