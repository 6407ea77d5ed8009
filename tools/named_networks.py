#!/usr/bin/python3
"""Parameters and multiply-adds of VGG-16, ResNet-50 and torchvision's AlexNet, from PyTorch.

    /usr/bin/python3 tools/named_networks.py

Debian ships python3-torch but not torchvision, so the three networks are written out here
layer by layer as torchvision 0.14 defines them (vgg16, resnet50, alexnet). Multiply-adds are
those of the convolutions and dense layers for one 224x224x3 image, collected by forward
hooks: C_out Ho Wo C_in k^2 (per group) and D_in D_out. The figures are the ones
tests/dlcore/models/imagenet_test.cpp expects of dl::count_cost.
"""
import torch
import torch.nn as nn


def vgg16():
    layers, c = [], 3
    for v in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU()]
            c = v
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(7), nn.Flatten(),
                         nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 1000))


def alexnet():
    return nn.Sequential(
        nn.Conv2d(3, 64, 11, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
        nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.AdaptiveAvgPool2d(6), nn.Flatten(),
        nn.Dropout(), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(),
        nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))


class Bottleneck(nn.Module):
    def __init__(self, c_in, width, stride):
        super().__init__()
        c_out = 4 * width
        self.f = nn.Sequential(
            nn.Conv2d(c_in, width, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, c_out, 1, bias=False), nn.BatchNorm2d(c_out))
        self.s = (nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))
                  if stride != 1 or c_in != c_out else nn.Identity())

    def forward(self, x):
        return torch.relu(self.f(x) + self.s(x))


def resnet50():
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    c = 64
    for s, (blocks, width) in enumerate(zip([3, 4, 6, 3], [64, 128, 256, 512])):
        for b in range(blocks):
            layers.append(Bottleneck(c, width, 2 if s > 0 and b == 0 else 1))
            c = 4 * width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000))


def count(net):
    madds = []

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            k = m.kernel_size[0] * m.kernel_size[1] * m.in_channels // m.groups
            madds.append(out.numel() * k)
        elif isinstance(m, nn.Linear):
            madds.append(m.in_features * m.out_features)

    for m in net.modules():
        m.register_forward_hook(hook)
    with torch.no_grad():
        net.eval()(torch.zeros(1, 3, 224, 224))
    return sum(p.numel() for p in net.parameters()), sum(madds)


for name, build in [("vgg16", vgg16), ("resnet50", resnet50), ("alexnet", alexnet)]:
    params, madds = count(build())
    print("%-9s parameters %11d  multiply-adds %14d" % (name, params, madds))
