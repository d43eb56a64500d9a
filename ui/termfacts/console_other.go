//go:build !windows

package termfacts

// Local reads this process's console facts: only Windows has any.
func Local() Console { return Console{} }
