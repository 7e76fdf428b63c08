:;Z
x





xyy"Softmax*
axis b
yB