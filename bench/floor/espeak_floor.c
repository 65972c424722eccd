/* What `espeak-ng -w out.wav -f script.txt -v VOICE -s RATE -p PITCH` does: the whole
   text synthesized in one call, written to a WAV. Compiled by bench/speed.py against the
   same libespeak-ng briefing uses, when no espeak-ng command is installed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int espeak_Initialize(int output, int buflength, const char *path, int options);
void espeak_SetSynthCallback(int (*cb)(short *, int, void *));
int espeak_SetVoiceByName(const char *name);
int espeak_SetParameter(int parameter, int value, int relative);
int espeak_Synth(const void *text, size_t size, unsigned int position, int position_type,
                 unsigned int end_position, unsigned int flags, unsigned int *uid, void *user);
int espeak_Synchronize(void);
int espeak_Terminate(void);

static FILE *out;
static uint32_t samples;

static int on_synth(short *wav, int n, void *events) {
    (void)events;
    if (wav && n > 0) { fwrite(wav, 2, (size_t)n, out); samples += (uint32_t)n; }
    return 0;
}

static void put32(uint32_t v) { fwrite(&v, 4, 1, out); }
static void put16(uint16_t v) { fwrite(&v, 2, 1, out); }

static void header(int rate) {
    fwrite("RIFF", 1, 4, out); put32(36 + samples * 2); fwrite("WAVEfmt ", 1, 8, out);
    put32(16); put16(1); put16(1); put32((uint32_t)rate); put32((uint32_t)rate * 2);
    put16(2); put16(16); fwrite("data", 1, 4, out); put32(samples * 2);
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: floor TEXT WAV VOICE RATE PITCH\n"); return 2; }
    FILE *in = fopen(argv[1], "rb");
    if (!in) { perror(argv[1]); return 1; }
    fseek(in, 0, SEEK_END); long size = ftell(in); fseek(in, 0, SEEK_SET);
    char *text = calloc((size_t)size + 1, 1);
    if (fread(text, 1, (size_t)size, in) != (size_t)size) return 1;
    fclose(in);
    int rate = espeak_Initialize(2 /* SYNCHRONOUS */, 0, NULL, 0);
    if (rate <= 0) { fprintf(stderr, "espeak_Initialize failed\n"); return 1; }
    out = fopen(argv[2], "wb");
    if (!out) { perror(argv[2]); return 1; }
    header(rate);
    espeak_SetSynthCallback(on_synth);
    if (espeak_SetVoiceByName(argv[3]) != 0) { fprintf(stderr, "no voice %s\n", argv[3]); return 1; }
    espeak_SetParameter(1 /* RATE */, atoi(argv[4]), 0);
    espeak_SetParameter(3 /* PITCH */, atoi(argv[5]), 0);
    espeak_Synth(text, (size_t)size + 1, 0, 1 /* POS_CHARACTER */, 0,
                 1 /* CHARS_UTF8 */ | 0x1000 /* ENDPAUSE */, NULL, NULL);
    espeak_Synchronize();
    fseek(out, 0, SEEK_SET);
    header(rate);
    fclose(out);
    espeak_Terminate();
    return 0;
}
