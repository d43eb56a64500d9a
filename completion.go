package main

import (
	"io"

	"github.com/spf13/cobra"

	"mfpmail/demo"
)

// shells are the shells completion scripts are made for.
var shells = []string{"powershell", "bash", "zsh", "fish"}

// newCompletionCmd is `mfpmail completion SHELL`: the script on stdout.
func newCompletionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "the shell's completion script, on stdout (Tab completes commands, flags, values)",
		Long: `Install it (then open a new shell):
  PowerShell  mfpmail completion powershell | Out-String | Invoke-Expression
              (to keep it, add that line to the file named by $PROFILE)
  bash        source <(mfpmail completion bash)
              (to keep it: mfpmail completion bash > ~/.local/share/bash-completion/completions/mfpmail)
  zsh         mfpmail completion zsh > "${fpath[1]}/_mfpmail"   (with compinit in ~/.zshrc)
  fish        mfpmail completion fish > ~/.config/fish/completions/mfpmail.fish`,
		Annotations:           exits("0  script printed\n2  no such shell"),
		DisableFlagsInUseLine: true,
		ValidArgs:             shells,
		Args:                  shellArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(stdout, true)
			case "zsh":
				return root.GenZshCompletion(stdout)
			case "fish":
				return root.GenFishCompletion(stdout, true)
			default:
				return root.GenPowerShellCompletionWithDesc(stdout)
			}
		},
	}
}

// shellArg: exactly one of the shells.
func shellArg(_ *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usagef("completion needs one shell: bash, zsh, fish or powershell (e.g. mfpmail completion bash)")
	}
	for _, s := range shells {
		if args[0] == s {
			return nil
		}
	}
	return usagef("completion %q: allowed shells are bash, zsh, fish, powershell", args[0])
}

// flagValues are the values the shells complete for the flags that have
// a fixed set, whichever command has them (value, tab, description).
var flagValues = map[string]func() []string{
	"scenario": func() []string {
		names := make([]string, len(demo.Scenarios))
		for i, s := range demo.Scenarios {
			names[i] = string(s)
		}
		return names
	},
	"lang":                fixed("en\tEnglish", "ja\tJapanese (日本語)"),
	"ui":                  fixed("cwis\tCentreWare Internet Services (older devices)", "is\tInternet Services (newer devices)"),
	"account":             fixed("work\tExchange Online (work or school account)", "personal\tOutlook.com (personal account)"),
	"east-asian-width":    fixed("auto", "narrow", "wide"),
	"from-policy":         fixed("locked\tboth From settings set to the safe value", "open"),
	"login-credentials":   fixed("system", "remote"),
	"device-signed-in":    fixed("yes\tthe device's own sign-in succeeded", "no\tit failed"),
	"device-scan":         fixed("yes\tthe device's scan to email arrived", "no\tit did not arrive", "not-tried\tnobody sent one yet"),
	"device-firmware":     fixed("yes\tExchange Online/Outlook.com offered, with TLS 1.2", "no"),
	"device-clock":        fixed("yes\tdate, time and time zone right (NTP)", "no"),
	"device-certificates": fixed("yes\tDigiCert Global Root G2 trusted", "no"),
	"device-path":         fixed("yes\tthe device reaches smtp.office365.com:587 and 443", "no"),
}

func fixed(v ...string) func() []string { return func() []string { return v } }

// fileFlags are flags that name a file, with the extensions it may have
// (none = any).
var fileFlags = map[string][]string{
	"report": {"html", "md", "json"}, "log": nil, "ca-file": {"pem", "crt"}, "ca-out": {"pem"},
	"host-key": nil, "authorized-keys": nil,
}

// completeValues registers the completions of cmd's flags.
func completeValues(cmd *cobra.Command) {
	for name, values := range flagValues {
		if cmd.Flags().Lookup(name) == nil {
			continue
		}
		_ = cmd.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return values(), cobra.ShellCompDirectiveNoFileComp
		})
	}
	for name, ext := range fileFlags {
		if cmd.Flags().Lookup(name) != nil {
			_ = cmd.MarkFlagFilename(name, ext...)
		}
	}
}
