// placeholder while the kernel is wired
