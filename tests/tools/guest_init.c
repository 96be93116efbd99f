/*
 * guest_init.c - pid 1 of the native i386 kernel that native-i386.sh boots
 * under qemu: it runs what /list asks and prints the results on the
 * console, then powers the machine off.
 *
 * Each line of /list is "HOW LAYOUT PATH":
 *   exec topdown|legacy PATH  runs /execmaps --stat --auxv PATH (the maps,
 *                             stat and auxv right after execve);
 *   run topdown|legacy PATH   runs PATH to its end, output kept.
 * Both run without address randomization (`setarch -R`), legacy with the
 * ADDR_COMPAT_LAYOUT personality too (`setarch -L`). The output of line N (from 1) comes
 * between "=== N" and "=== end N". Last, "=== vdso" and "=== end vdso"
 * enclose this process's own [vdso] bytes in hex, 32 bytes a line.
 *
 * Built static for i386 (gcc -m32 -static): the guest has no libc.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

/* run_line - fork, set the layout, exec what line n asks, wait. */
static void run_line(int n, const char *how, const char *layout, char *path)
{
	char *exec_argv[] = { "/execmaps", "--stat", "--auxv", path, NULL };
	char *run_argv[] = { path, NULL };
	char *envp[] = { NULL };
	char **argv = strcmp(how, "exec") ? run_argv : exec_argv;
	pid_t pid;
	int status;

	printf("=== %d\n", n);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		personality(ADDR_NO_RANDOMIZE |
			    (strcmp(layout, "legacy") ? 0 : ADDR_COMPAT_LAYOUT));
		execve(argv[0], argv, envp);
		perror(argv[0]);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	printf("=== end %d\n", n);
	fflush(stdout);
}

/* dump_vdso - this process's [vdso] in hex, from /proc/self/maps. */
static void dump_vdso(void)
{
	char line[256];
	unsigned long start = 0, end = 0;
	FILE *maps = fopen("/proc/self/maps", "r");

	while (maps && fgets(line, sizeof(line), maps))
		if (strstr(line, "[vdso]"))
			sscanf(line, "%lx-%lx", &start, &end);
	if (maps)
		fclose(maps);
	printf("=== vdso\n");
	for (unsigned long a = start; a < end; a += 32) {
		for (int i = 0; i < 32; i++)
			printf("%02x", ((const unsigned char *)a)[i]);
		putchar('\n');
	}
	printf("=== end vdso\n");
}

int main(void)
{
	char line[512], how[8], layout[16], path[480];
	FILE *list;
	int n = 0;

	mount("proc", "/proc", "proc", 0, NULL);
	putchar('\n');		/* the firmware's last line has no end */
	list = fopen("/list", "r");
	while (list && fgets(line, sizeof(line), list))
		if (sscanf(line, "%7s %15s %479s", how, layout, path) == 3)
			run_line(++n, how, layout, path);
	dump_vdso();
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
