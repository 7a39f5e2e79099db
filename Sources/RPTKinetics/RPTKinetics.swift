// RPTKinetics: time-activity curve fits and time-integrated activity.
