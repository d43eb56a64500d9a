package flow

// MergeAnswers keeps what the technician gave on the command line and
// fills the rest from a demo scenario's device.
func MergeAnswers(flags, scenario Answers) Answers {
	a := scenario
	if flags.DeviceEmail != "" {
		a.DeviceEmail = flags.DeviceEmail
	}
	if flags.LoginCredentials != "" {
		a.LoginCredentials = flags.LoginCredentials
	}
	if flags.GuestEdit != "" {
		a.GuestEdit, a.NoAuthEdit = flags.GuestEdit, flags.NoAuthEdit
	}
	if flags.Sender != "" {
		a.Sender = flags.Sender
	}
	if flags.DisplayName != "" {
		a.DisplayName = flags.DisplayName
	}
	for _, p := range DevicePrereqs {
		if v := flags.Prereqs.Get(p); v != "" {
			a.Prereqs = a.Prereqs.With(p, v)
		}
	}
	return a
}

// ScenarioDevice is what a demo scenario's device is set to.
type ScenarioDevice interface {
	DefaultSender() string
	LoginRemote() bool
}

// ScenarioAnswers are the device settings of a demo scenario's device.
func ScenarioAnswers(d ScenarioDevice) Answers {
	a := Answers{Sender: d.DefaultSender()}
	if d.LoginRemote() {
		a.LoginCredentials = LoginRemote
	}
	return a
}
